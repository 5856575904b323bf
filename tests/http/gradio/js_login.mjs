// The real @gradio/client against the login app at argv[2]: without auth, with a wrong password,
// then logged in. Prints one JSON object with what it saw (read by test_login_clients.py).
import { Client } from "@gradio/client";

async function failure(options) {
  try {
    await Client.connect(process.argv[2], options);
    return null;
  } catch (error) {
    return error.message ?? String(error);
  }
}

const anonymous = await failure({});
const wrong = await failure({ auth: ["ann", "not it"] });
const client = await Client.connect(process.argv[2], { auth: ["ann", "first password"] });
const predicted = await client.predict("/chat", { message: { text: "hi js", files: [] } });
console.log(JSON.stringify({ anonymous, wrong, predicted: predicted.data }));
client.close();
process.exit(0);
