"""What the benchmarks share: where they ran (machine, file system), what the process holds (RSS,
file descriptors), generated news, and the loopback feed server's plumbing (binding, requests, a
child process answering over a pipe)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import multiprocessing
import os
import platform
import random
import resource
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any


def machine(libraries: str = "") -> str:
    """CPU model, CPU count, Python and OS, and the library versions the caller names."""
    cpu = "unknown cpu"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    text = (f"{cpu}, {os.cpu_count()} cpus; Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.release()}")
    return f"{text}; {libraries}" if libraries else text


def fs_of(path: Path) -> str:
    """Filesystem type under a path (the store commits with synchronous=FULL, so fsync cost depends on it)."""
    best, kind = "", "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind


# -- what the process holds -----------------------------------------------------------------------


def rss_mb(pid: int | str = "self") -> float:
    """VmRSS of a process (this one by default) now, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """Peak RSS of this process (ru_maxrss), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def open_fds() -> int:
    """File descriptors this process has open (sockets, the database and its WAL, pipes)."""
    try:
        return len(os.listdir("/proc/self/fd")) - 1   # less the one listdir itself holds
    except OSError:
        return -1


# -- generated news (English-like, Zipf-weighted; fixed seeds give the same bytes) ----------------------

COMMON = """
the of and to a in is that for it as was with on he be by at have are this from or had not but what all were
when we there can an which their said if do will each about how up out them then she many some so these would
other into has more her two like him see time could no make than first been its who now people my made over did
down only way find use may water long little very after words called just where most know get through back much
before go good new write our used me man too any day same right look think also around another came come work
three word must because does part even place well such here take why things help put years different away again
off went old number great tell men say small every found still between name should home big give air set own
under read last never us left end while might next below saw something thought both few those always looked show
large often together asked house government minister officials statement week region local reported according
sources president country city capital talks agreement security spokesman ministry told agency meeting leaders
support plan public report state national group official move late early since during against without within
however including several further despite amid among across following percent million economic policy issue
news press service team members party power former major political international foreign health market river
road bridge school hospital station hours morning evening night weekend month year decision court budget
council residents farmers workers prices energy trade exports imports inflation bank election vote parliament
opposition coalition reform tax teachers students university research scientists climate weather rain harvest
festival museum library tourism airport railway port company shares investors growth jobs unemployment housing
""".split()

TOPICS = ("budget", "railway", "harvest", "election", "trade deal", "energy prices", "pension reform",
           "water supply", "hospital funding", "school year", "port expansion", "tax plan", "housing market", "airport",
           "bridge repairs", "wine exports", "tourist season", "fishing quotas", "coal mine", "wind farm",
           "grain prices", "bus fares")
PLACES = ("Belgrade", "Pristina", "Sarajevo", "Skopje", "Tirana", "Zagreb", "Podgorica", "Novi Sad", "Nis",
           "Prizren", "Bamako", "Niamey", "Kyiv", "Kharkiv", "Tbilisi", "Yerevan", "Baku", "Chisinau", "Vilnius",
           "Riga", "Warsaw", "Lyon", "Porto", "Bergen", "Ghent", "Turin", "Graz", "Brno", "Kosice", "Debrecen")
COUNTRIES = ("Serbia", "Kosovo", "Bosnia", "Albania", "Montenegro", "Mali", "Niger", "Ukraine", "Georgia",
              "Armenia", "Azerbaijan", "Moldova", "Poland", "Lithuania", "India", "Pakistan", "Sudan", "Chad")
DEMONYMS = {"Serbia": "Serbian", "Kosovo": "Kosovar", "Bosnia": "Bosnian", "Albania": "Albanian",
             "Montenegro": "Montenegrin", "Mali": "Malian", "Niger": "Nigerien", "Ukraine": "Ukrainian",
             "Georgia": "Georgian", "Armenia": "Armenian", "Azerbaijan": "Azerbaijani", "Moldova": "Moldovan",
             "Poland": "Polish", "Lithuania": "Lithuanian", "India": "Indian", "Pakistan": "Pakistani",
             "Sudan": "Sudanese", "Chad": "Chadian"}
TITLES = ("{place} council approves {topic} plan", "Minister says talks on {topic} to resume next week",
           "{country} and {country2} sign {topic} agreement", "Prices rise as {topic} worries grow in {place}",
           "{place} residents protest over {topic}", "Court delays ruling on {topic}",
           "{country} opposition calls for vote on {topic}", "{num} new jobs promised in {place} {topic} scheme",
           "Report: {topic} costs up {num} percent", "{place} mayor defends {topic} decision",
           "Experts divided over {country} {topic} figures", "Parliament debates {topic} bill late into night")
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "11", "12", "14", "17", "23")
# Items built so that a shipped rule fires (fatal-clash, kosovo-fatal-clash, troop-buildup).
TRIGGERS = (
    ("{Num} soldiers killed in clash with rebels near {place}",
     "At least {num} soldiers were killed when rebels attacked an army patrol near {place}, the army said."),
    ("Shelling kills {num} in frontline village",
     "{Num} civilians were killed when artillery shells hit houses in the village overnight, local officials said."),
    ("Police officer killed in Banjska ambush",
     "About 30 gunmen attacked a Kosovo police patrol near Banjska, killing one officer; three attackers died in the "
     "shoot-out that followed."),
    ("{country} masses troops near {country2} border",
     "Satellite images show a large deployment of {demonym} forces, tanks and artillery along the border with "
     "{country2}, officials said."),
    ("Army reinforces frontier posts near {place}",
     "Two extra battalions were deployed to the disputed border region near {place} overnight, the ministry said."),
)

ZIPF = [1.0 / (rank + 1) ** 0.8 for rank in range(len(COMMON))]


def sentence(rng: random.Random) -> str:
    words = rng.choices(COMMON, ZIPF, k=rng.randint(8, 20))
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), rng.choice(PLACES))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 9000)))
    if len(words) > 10 and rng.random() < 0.3:
        words[rng.randrange(3, len(words) - 2)] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def fill(rng: random.Random, template: str) -> str:
    country, country2 = rng.sample(COUNTRIES, 2)
    num = rng.choice(NUMBERS)
    return template.format(place=rng.choice(PLACES), topic=rng.choice(TOPICS), country=country, country2=country2,
                           demonym=DEMONYMS[country], num=num, Num=num.capitalize())


def description(rng: random.Random, lead: str | None) -> str:
    target = rng.randint(300, 600)
    parts = [lead] if lead else []
    length = len(lead or "")
    while length < target:
        said = sentence(rng)
        parts.append(said)
        length += len(said) + 1
    text = " ".join(parts)
    if len(text) > 600:
        text = text[:600].rsplit(" ", 1)[0].rstrip(",") + "."
    return text


def news_item(rng: random.Random, trigger_rate: float) -> tuple[str, str]:
    """(title, description) of one item; with probability `trigger_rate` written to fire a shipped rule."""
    lead = None
    if rng.random() < trigger_rate:
        title_t, lead_t = rng.choice(TRIGGERS)
        filled = fill(rng, title_t + "\0" + lead_t).split("\0")
        title, lead = filled[0], filled[1]
    else:
        title = fill(rng, rng.choice(TITLES))
        title = title[0].upper() + title[1:]
    return title, description(rng, lead)


def as_html(text: str) -> str:
    """A description as the escaped-HTML feeds carry it: the first sentence and the rest in two <p>."""
    paragraphs = text.split(". ", 1)
    return "<p>" + "</p><p>".join(p if p.endswith(".") else p + "." for p in paragraphs) + "</p>"


def rss_head(title: str, site: str, about: str) -> str:
    """The start of an RSS 2.0 document, up to its first item."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://{site}/</link><description>{about}</description><language>en</language>")


RSS_TAIL = "</channel></rss>\n"


def rss_item(site: str, title: str, text: str, published: datetime, ident: str, guid: str) -> str:
    """One <item>: a link with a slug of the title and a utm_source parameter, a non-permalink guid."""
    slug = "-".join(title.lower().split()[:6]).replace(",", "").replace(":", "")
    return (f"<item><title>{html.escape(title)}</title>"
            f"<link>https://{site}/{published:%Y/%m/%d}/{slug}-{ident}?utm_source=rss</link>"
            f'<guid isPermaLink="false">{guid}</guid>'
            f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>"
            f"<description>{html.escape(text)}</description></item>")


# -- the loopback feed server's plumbing -------------------------------------------------------------


def bind_loopback(hosts: int) -> tuple[list[socket.socket], int]:
    """One listening socket per loopback address 127.0.0.1..127.0.0.N, all on the same port
    (127.0.0.1 alone if the others cannot be bound)."""
    socks: list[socket.socket] = []
    first = socket.create_server(("127.0.0.1", 0), backlog=1024)
    socks.append(first)
    port = first.getsockname()[1]
    try:
        for k in range(2, hosts + 1):
            socks.append(socket.create_server((f"127.0.0.{k}", port), backlog=1024))
    except OSError:
        for s in socks[1:]:
            s.close()
        return [first], port
    return socks, port


@dataclass(frozen=True)
class Request:
    """An HTTP/1.1 request head: the target, headers with lower-case names, whether the client closes."""

    target: bytes
    headers: dict[bytes, bytes]

    @property
    def close(self) -> bool:
        return self.headers.get(b"connection", b"").lower() == b"close"

    def feed_index(self, count: int) -> int:
        """N of a `/feed/N` target, or -1 when there is no such feed."""
        index = -1
        if self.target.startswith(b"/feed/"):
            with contextlib.suppress(ValueError):
                index = int(self.target[6:])
        return index if 0 <= index < count else -1


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request head on a keep-alive connection; None when the client is gone."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return Request(parts[1] if len(parts) == 3 else b"", headers)


def no_delay(writer: asyncio.StreamWriter) -> None:
    """Answers go out whole (head and body in one write), and at once."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def answer_pipe(conn: Any, on_message: Callable[[Any], Any]) -> None:
    """Child side of `ChildServer`: answer each message from the parent with `on_message(message)`
    until it returns `STOP` or the parent goes away. Runs inside the child's event loop."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def receive() -> None:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            stop.set()
            return
        reply = on_message(message)
        if reply is STOP:
            stop.set()
        else:
            conn.send(reply)

    loop.add_reader(conn.fileno(), receive)
    try:
        await stop.wait()
    finally:
        loop.remove_reader(conn.fileno())


STOP = object()   # what an `answer_pipe` handler returns to end the child


class ChildServer:
    """A server in a child process (spawned, so its CPU and memory are not the measured process's).

    The child gets one end of a pipe as its first argument, sends a dict about itself once it
    listens (`info`), then answers `call`s; "stop" ends it.
    """

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str,
                 start_timeout: float = 300) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child, *args), name=name, daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.stop()
            raise RuntimeError(f"the {name} process did not start within {start_timeout:g} s")
        try:
            self.info: dict[str, Any] = self.conn.recv()
        except EOFError as exc:
            self.stop()
            raise RuntimeError(f"the {name} process exited during start-up (exit code {self.process.exitcode})") \
                from exc
        self.port: int = self.info["port"]
        self.hosts: int = self.info["hosts"]

    def call(self, message: Any) -> Any:
        """Send a message to the child and wait for its answer."""
        self.conn.send(message)
        return self.conn.recv()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send("stop")
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        self.conn.close()
