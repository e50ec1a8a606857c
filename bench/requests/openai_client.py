"""Reference for the request layer: the official openai Python client (AsyncOpenAI, one event loop) sending
the same chat requests as `judgeflow-bench requests` with the same number in flight, against the same server.
usage: python3 openai_client.py URL REQUESTS IN_FLIGHT"""
import asyncio, resource, sys, time
from openai import AsyncOpenAI

async def main(url, count, in_flight):
    client = AsyncOpenAI(base_url=url, api_key="none", max_retries=5)
    gate = asyncio.Semaphore(in_flight)

    async def one(i):
        async with gate:
            r = await client.chat.completions.create(model="bench", temperature=0, max_tokens=8, seed=i,
                                                     messages=[{"role": "user", "content": f"Is there a red circle? ({i})"}])
            return r.choices[0].message.content

    start = time.perf_counter()
    answers = await asyncio.gather(*(one(i) for i in range(count)))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"openai client: {len(answers)} requests, {in_flight} in flight: {seconds:.2f} s, {len(answers) / seconds:.0f} requests/s, peak RSS {peak:.0f} MB")

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
