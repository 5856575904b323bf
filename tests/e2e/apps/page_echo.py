"""Answers with what ``request.page`` says: the page's URL, title, language, referrer and the
values the page set (``data-context``, ``chatbubble('context', ...)``)."""

import backend as gr


def echo(message, history, request: gr.Request):
    page = request.page
    return (
        f"url {request.url} | page.url [{page.url}] | title [{page.title}] | lang [{page.lang}] "
        f"| referrer [{page.referrer}] | plan [{page.context.get('plan')}] "
        f"| seats [{page.context.get('seats')}]"
    )


demo = gr.ChatInterface(echo)
