"""Client compatibility: the official `openai` Python client against `judgeflow serve`.
usage: python3 openai_client_check.py BASE_URL MODEL IMAGE.png QUESTION
Checks models, chat with an image, n, seed, logprobs, streaming and a bad request's error type; prints
one line per check and exits non-zero when one fails."""
import base64, sys
import openai

base, name, image_path, question = sys.argv[1:5]
client = openai.OpenAI(base_url=base, api_key="unused", max_retries=0)
image = "data:image/png;base64," + base64.b64encode(open(image_path, "rb").read()).decode()
messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": image}}, {"type": "text", "text": question}]}]
failures = []

def check(label, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + label + (": " + detail if detail and not ok else ""))
    if not ok:
        failures.append(label)

models = client.models.list()
check("models lists the served model", [m.id for m in models.data] == [name], str([m.id for m in models.data]))

one = client.chat.completions.create(model=name, messages=messages, temperature=1.0, seed=11, max_tokens=12)
check("chat with an image answers", one.choices[0].message.role == "assistant" and isinstance(one.choices[0].message.content, str)
      and one.choices[0].finish_reason in ("stop", "length") and one.usage.prompt_tokens > 0, repr(one))

many = client.chat.completions.create(model=name, messages=messages, n=3, temperature=1.0, seed=7, max_tokens=12)
check("n gives n choices", [c.index for c in many.choices] == [0, 1, 2], repr(many.choices))
again = client.chat.completions.create(model=name, messages=messages, n=3, temperature=1.0, seed=7, max_tokens=12)
check("the same seed gives the same choices", [c.message.content for c in many.choices] == [c.message.content for c in again.choices])

lp = client.chat.completions.create(model=name, messages=messages, temperature=1.0, seed=11, max_tokens=6, logprobs=True, top_logprobs=3)
content = lp.choices[0].logprobs.content if lp.choices[0].logprobs else None
check("logprobs per token with top_logprobs", content is not None and len(content) >= 1
      and all(t.logprob <= 0 and len(t.top_logprobs) == 3 for t in content)
      and "".join(t.token for t in content) == lp.choices[0].message.content, repr(lp.choices[0]))

chunks = list(client.chat.completions.create(model=name, messages=messages, temperature=1.0, seed=11, max_tokens=12, stream=True,
                                             stream_options={"include_usage": True}))
streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
check("streaming gives the same text in chunks", streamed == one.choices[0].message.content, f"{streamed!r} vs {one.choices[0].message.content!r}")
check("streaming ends with usage", chunks[-1].usage is not None and chunks[-1].usage.completion_tokens >= 1, repr(chunks[-1]))

try:
    client.chat.completions.create(model=name, messages=messages, n=0)
    check("a bad request is an error", False, "n=0 was accepted")
except openai.BadRequestError as e:
    check("a bad request is a BadRequestError with the param", e.status_code == 400 and e.body.get("param") == "n", repr(e.body))
try:
    client.chat.completions.create(model="no-such-model", messages=messages)
    check("an unknown model is an error", False, "accepted")
except openai.NotFoundError as e:
    check("an unknown model is a NotFoundError", e.status_code == 404 and e.body.get("code") == "model_not_found", repr(e.body))

sys.exit(1 if failures else 0)
