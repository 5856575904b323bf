// The real @gradio/client against the server at argv[2]: connect, view_api, predict, and
// submit iterating partials. Prints one JSON object with what it saw (read by test_js_client.py).
import { Client } from "@gradio/client";

const client = await Client.connect(process.argv[2]);
const api = await client.view_api();
const endpoint = api.named_endpoints["/chat"];
const predicted = await client.predict("/chat", { message: "hi js", temperature: 0.1, system: "s" });
const partials = [];
const job = client.submit("/chat", { message: "slow js" });
for await (const message of job) {
  if (message.type === "data") partials.push(message.data[0]);
  if (message.type === "status" && message.stage === "complete") break;
}
let failure = null;
try {
  await client.predict("/chat", { message: "fail" });
} catch (error) {
  failure = error.message ?? String(error);
}
console.log(
  JSON.stringify({
    endpoints: Object.keys(api.named_endpoints),
    parameters: endpoint.parameters.map((p) => p.parameter_name),
    predicted: predicted.data,
    partials,
    failure,
  }),
);
client.close();
process.exit(0);
