#!/usr/bin/env python3
"""Writes frames.tsv, engine.tsv and reference-scenario.tsv, the Parley protocol test vectors (version 1, and
the frames version 2 adds, section 13).

This is a second, independent encoder written from docs/protocol.md alone (it shares no code with the
Java implementation), so the vectors check the Java codec and engine against the specification rather
than against themselves. Section numbers below are those of docs/protocol.md. Dependency-free Python 3;
run it from any directory: python3 docs/vectors/generate.py
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = bytes([0x8F]) + b"PARLEY\n"
NS = 0xFFFFFFFF  # QOS_NOT_SPECIFIED (section 4.10)

MAX_PAYLOAD = 0xFFFF  # a frame's payload (section 4)
MAX_USER_DATA = 16 * 1024 * 1024  # hard maximum of user data, and of caller data + early length (section 6)
EARLY_OVERHEAD = 4  # what each early message costs beyond its size (section 4.6, "Early messages")
PENDING_INTERVAL_MS = 1000  # section 4.4
KIB, MIB = 1024, 1024 * 1024

# The limits the frame vectors are decoded with, and that the engine vectors' engines advertise unless a
# row overrides them.
LIMITS = dict(maxCallerData=16, maxCalleeData=16, maxDisconnectData=16, maxReasonData=1024, maxMessageSize=32)
FRAGMENT = 8  # the engine vectors' fragment size
DEADLINE_MS = 10000  # the engine vectors' handshake deadline

SERVICE = {0x0: "NO_TRAFFIC", 0x1: "BEST_EFFORT", 0x2: "CONTROLLED_LOAD", 0x3: "GUARANTEED",
           0x4: "NETWORK_UNAVAILABLE", 0x5: "GENERAL_INFORMATION", 0x6: "NO_CHANGE", 0x9: "NON_CONFORMING",
           0xA: "NETWORK_CONTROL", 0xD: "QUALITATIVE"}
# Section 8: the codes that are sent. A receiver reads any other value, local-only ones included (10 and
# 256..258), as UNSPECIFIED.
REASON = {0: "UNSPECIFIED", 1: "REFUSED", 2: "QUEUE_FULL", 3: "SHUTTING_DOWN", 4: "QOS_NOT_SUPPORTED",
          5: "DATA_NOT_SUPPORTED", 6: "TIMED_OUT", 7: "PROTOCOL_VIOLATION", 8: "MESSAGE_TOO_LARGE",
          9: "APPLICATION_ABORT", 11: "WITHDRAWN", 12: "CONDITION_FAILED", 13: "DATA_TOO_LARGE",
          14: "QOS_COLLISION"}
LOCAL_ONLY = {10: "VERSION_UNSUPPORTED", 256: "TRANSPORT_CLOSED", 257: "TRANSPORT_RESET", 258: "NOT_PARLEY"}
GROUP_KIND = {0: "NONE", 1: "JOIN", 2: "UNCONSTRAINED", 3: "CONSTRAINED"}
CODE = {name: code for code, name in list(REASON.items()) + list(LOCAL_ONLY.items())}

RUN = 64  # runs of at least this many equal bytes are written [XX*N]


# ------------------------------------------------------------------------------------------ hex notation

RUN_PATTERN = re.compile(rb"(.)\1{%d,}" % (RUN - 1), re.S)


def hx(raw):
    """Lower-case hex, with each run of RUN or more equal bytes written [XX*N]."""
    out, pos = [], 0
    for m in RUN_PATTERN.finditer(raw):
        out.append(raw[pos:m.start()].hex())
        out.append("[%02x*%d]" % (raw[m.start()], m.end() - m.start()))
        pos = m.end()
    out.append(raw[pos:].hex())
    return "".join(out)


def blocks(n, size):
    """N bytes in blocks of SIZE equal bytes, the blocks numbered 1, 2, ... 255, 1, ...: large user data that
    stays short in [XX*N] notation, yet shows a byte lost, doubled or moved at a frame boundary."""
    return b"".join(bytes([k % 255 + 1]) * min(size, n - k * size) for k in range((n + size - 1) // size))


def unhex(text):
    """The inverse of hx (used by the self-checks below)."""
    return bytes.fromhex(re.sub(r"\[([0-9a-f]{2})\*(\d+)\]", lambda m: m.group(1) * int(m.group(2)), text))


# ------------------------------------------------------------------------------------------ encoding

def u32(v):
    return struct.pack(">I", v)


def preamble(lo=1, hi=1):
    return MAGIC + bytes([lo, hi])


def frame(ftype, flags, payload):
    assert len(payload) <= MAX_PAYLOAD
    return struct.pack(">BBH", ftype, flags, len(payload)) + payload


def cont(part=b"", flags=0):
    """A CONTINUATION (section 4.5)."""
    return frame(0x05, flags, part)


def user_data_frames(ftype, flags, head, tail, data, declared=None, split=None):
    """A frame that carries user data (section 4.5): HEAD, the u32 length of the whole user data (DECLARED,
    by default the real length), TAIL, then the first part of DATA; the rest follows in CONTINUATIONs.
    SPLIT lists the sizes of the parts (the first frame's part first); without it the data is split as the
    reference sender does: the first frame filled up to 65535 bytes of payload, each CONTINUATION up to
    65535 bytes."""
    fixed = head + u32(len(data) if declared is None else declared) + tail
    if split is None:
        first = MAX_PAYLOAD - len(fixed)
        parts = [data[:first]] + [data[i:i + MAX_PAYLOAD] for i in range(first, len(data), MAX_PAYLOAD)]
    else:
        assert sum(split) == len(data), (split, len(data))
        parts, pos = [], 0
        for size in split:
            parts.append(data[pos:pos + size])
            pos += size
    return frame(ftype, flags, fixed + parts[0]) + b"".join(cont(p) for p in parts[1:])


def flowspec(rate=NS, bucket=NS, peak=NS, latency=NS, delay_var=NS, service=NS, max_sdu=NS, min_policed=NS):
    return struct.pack(">8I", rate, bucket, peak, latency, delay_var, service, max_sdu, min_policed)


def connect(max_msg=32, max_callee=16, max_disc=16, max_reason=1024, early=0, qos=None, group=None, data=b"",
            flags=None, declared=None, split=None):
    """CONNECT (section 4.1); group is (kind, id, priority)."""
    f = (0x01 if qos else 0) | (0x02 if group else 0)
    head = u32(max_msg) + u32(max_callee) + u32(max_disc) + u32(max_reason) + u32(early)
    tail = (qos[0] + qos[1] if qos else b"") + (struct.pack(">BIH", *group) if group else b"")
    return user_data_frames(0x01, f if flags is None else flags, head, tail, data, declared, split)


def accept(max_msg=32, max_disc=16, qos=None, group=None, data=b"", flags=None, declared=None, split=None):
    """ACCEPT (section 4.2); group is (id, priority), or (kind, id, priority) as version 2 has it (13.4)."""
    f = (0x01 if qos else 0) | (0x02 if group else 0)
    head = u32(max_msg) + u32(max_disc)
    layout = ">BIH" if group and len(group) == 3 else ">IH"
    tail = (qos[0] + qos[1] if qos else b"") + (struct.pack(layout, *group) if group else b"")
    return user_data_frames(0x02, f if flags is None else flags, head, tail, data, declared, split)


def reject(reason, data=b"", declared=None, split=None):
    """REJECT (section 4.3)."""
    return user_data_frames(0x03, 0, struct.pack(">H", reason), b"", data, declared, split)


def pending(payload=b"", flags=0):
    return frame(0x04, flags, payload)


def data(payload=b"", more=False):
    return frame(0x10, 0x01 if more else 0, payload)


def message_size(size):
    return frame(0x81, 0, u32(size))


def disconnect(payload=b"", closed=False, declared=None, split=None, flags=None):
    """DISCONNECT (section 4.7)."""
    f = (0x01 if closed else 0) if flags is None else flags
    return user_data_frames(0x20, f, b"", b"", payload, declared, split)


def disconnect_ack(payload=b"", flags=0):
    """DISCONNECT_ACK (section 4.8)."""
    return frame(0x22, flags, payload)


def qos_request(qos):
    """QOS_REQUEST (version 2, section 13.1): the QoS asked for."""
    return frame(0x30, 0, qos[0] + qos[1])


def qos_answer(qos=None, reason=None):
    """QOS_ANSWER (version 2, section 13.2): GRANTED with the QoS, or a refusal with the u16 reason."""
    return frame(0x31, 1, qos[0] + qos[1]) if qos else frame(0x31, 0, struct.pack(">H", reason))


def abort(reason, payload=b""):
    return frame(0x21, 0, struct.pack(">H", reason) + payload)


def fragments(message, fragment):
    return [message[i:i + fragment] for i in range(0, len(message), fragment)] or [b""]


def sent(message, fragment=FRAGMENT):
    """The bytes of one message as the reference sender frames it: MESSAGE_SIZE first when it needs more
    than one DATA frame (section 4.11), then DATA frames of at most FRAGMENT bytes."""
    parts = fragments(message, fragment)
    head = message_size(len(message)) if len(parts) > 1 else b""
    return head + b"".join(data(p, i < len(parts) - 1) for i, p in enumerate(parts))


# ------------------------------------------------------------------------------------------ describing

def num(v):
    return "-" if v == NS else str(v)


def describe_flowspec(raw):
    f = struct.unpack(">8I", raw)
    if f[5] == NS:
        service = "-"
    else:
        service = SERVICE[f[5] & 0x00FFFFFF]
        if f[5] & 0xFF000000:
            service += "+0x%08x" % (f[5] & 0xFF000000)
    return ",".join([num(f[0]), num(f[1]), num(f[2]), num(f[3]), num(f[4]), service, num(f[6]), num(f[7])])


def describe_qos(qos):
    return " qos=" + describe_flowspec(qos[0]) + ";" + describe_flowspec(qos[1]) if qos else ""


def d_preamble(lo=1, hi=1):
    return "PREAMBLE min=%d max=%d" % (lo, hi)


def user_limit(v):
    """How a receiver takes an advertised user-data limit: anything above the hard maximum counts as the hard
    maximum (section 6: "a sender treats a larger advertised limit as 16 MiB")."""
    return min(v, MAX_USER_DATA)


def d_connect(max_msg=32, max_callee=16, max_disc=16, max_reason=1024, early=0, qos=None, group=None, data=b""):
    g = " group=%s:%d:%d" % (GROUP_KIND[group[0]], group[1], group[2]) if group else ""
    return ("CONNECT maxMessage=%d maxCalleeData=%d maxDisconnectData=%d maxReasonData=%d early=%d%s%s data=%s"
            % (max_msg, user_limit(max_callee), user_limit(max_disc), user_limit(max_reason), early,
               describe_qos(qos), g, hx(data)))


def d_accept(max_msg=32, max_disc=16, qos=None, group=None, data=b""):
    if group and len(group) == 3:
        g = " group=%s:%d:%d" % (GROUP_KIND[group[0]], group[1], group[2])
    else:
        g = " group=%d:%d" % group if group else ""
    return "ACCEPT maxMessage=%d maxDisconnectData=%d%s%s data=%s" % (max_msg, user_limit(max_disc), describe_qos(qos),
                                                                     g, hx(data))


def reason_name(code):
    return REASON.get(code, "UNSPECIFIED")


def d_reason(name, code, payload=b"", with_data=True):
    text = "%s reason=%d/%s" % (name, code, reason_name(code))
    return text + (" data=" + hx(payload) if with_data else "")


def d_reject(reason, payload=b""):
    return d_reason("REJECT", reason, payload)


def d_abort(reason, payload=b""):
    return d_reason("ABORT", reason, payload)


def d_qos_request(qos):
    return "QOS_REQUEST" + describe_qos(qos)


def d_qos_answer(qos=None, reason=None):
    return "QOS_ANSWER granted=1" + describe_qos(qos) if qos else "QOS_ANSWER granted=0 reason=%d/%s" % (
        reason, reason_name(reason))


D_PENDING = "PENDING"
D_ACK = "DISCONNECT_ACK"


def d_data(payload=b"", more=False):
    return "DATA more=%d data=%s" % (int(more), hx(payload))


def d_message_size(size):
    return "MESSAGE_SIZE size=%d" % size


def d_disconnect(payload=b"", closed=False):
    return "DISCONNECT closed=%d data=%s" % (int(closed), hx(payload))


def d_sent(message, fragment=FRAGMENT):
    """The description of sent(message, fragment)."""
    parts = fragments(message, fragment)
    items = [d_message_size(len(message))] if len(parts) > 1 else []
    return " | ".join(items + [d_data(part, i < len(parts) - 1) for i, part in enumerate(parts)])


def seq(*items):
    return " | ".join(i for i in items if i)


def err(reason, at):
    return "error=%s at=%d" % (reason, at)


def early_length(*messages):
    """What a caller declares in CONNECT for these early messages (section 4.6)."""
    return sum(len(m) + EARLY_OVERHEAD for m in messages)


# ------------------------------------------------------------------------------------------ frames.tsv

QOS_SIMPLE = (flowspec(rate=1000, bucket=2000, service=0x1), flowspec())
QOS_FULL = (flowspec(125000, 4096, 250000, 20000, 5000, 0x3 | 0x40000000, 1500, 64),
            flowspec(0, 0, 0, NS, NS, 0x0 | 0x81000000, 0, 0))
QOS_FULL_TEXT = "125000,4096,250000,20000,5000,GUARANTEED+0x40000000,1500,64;0,0,0,-,-,NO_TRAFFIC+0x81000000,0,0"
CONNECT_FIXED, ACCEPT_FIXED, REJECT_FIXED, DISCONNECT_FIXED = 24, 12, 6, 4


def frame_rows():
    rows = []

    def row(name, kind, raw, expect, canonical):
        assert name not in [r[0] for r in rows], name
        rows.append((name, kind, hx(raw), expect, "yes" if canonical else "no"))

    def ok(name, raw, expect, canonical=True):
        row(name, "frames", raw, expect, canonical)

    def bad(name, raw, expect):
        row(name, "frames", raw, expect, False)

    def at_header(first=b""):
        """The index of the header byte of the frame that follows FIRST."""
        return len(first) + 3

    def at_end(raw):
        return len(raw) - 1

    # ---- the preamble (input "stream": the bytes are the very start of a stream), section 3
    row("preamble-v1", "stream", preamble(), d_preamble(), True)
    row("preamble-range-1-3", "stream", preamble(1, 3), d_preamble(1, 3), True)
    row("preamble-then-data", "stream", preamble() + data(b"hi"), seq(d_preamble(), d_data(b"hi")), True)
    row("not-parley-http", "stream", b"GET / HTTP/1.1\r\nHost: example\r\n\r\n", err("NOT_PARLEY", 0), False)
    row("not-parley-tls-client-hello", "stream", bytes.fromhex("160301020001 0001fc0303"),
        err("NOT_PARLEY", 0), False)
    row("not-parley-ssh", "stream", b"SSH-2.0-OpenSSH_9.6\r\n", err("NOT_PARLEY", 0), False)
    row("not-parley-magic-byte-3", "stream", MAGIC[:3] + b"X" + MAGIC[4:] + b"\x01\x01", err("NOT_PARLEY", 3), False)
    row("not-parley-crlf-mangled", "stream", MAGIC[:7] + b"\r\n\x01\x01", err("NOT_PARLEY", 7), False)
    row("not-parley-frame-before-preamble", "stream", frame(0x82, 0, b"") + preamble(), err("NOT_PARLEY", 0), False)
    row("not-parley-disconnect-ack-before-preamble", "stream", disconnect_ack() + preamble(),
        err("NOT_PARLEY", 0), False)
    row("preamble-incomplete", "stream", MAGIC[:5], "partial", False)

    # ---- CONNECT, section 4.1
    ok("connect-minimal", connect(), d_connect())
    ok("connect-caller-data", connect(data=b"alice"), d_connect(data=b"alice"))
    ok("connect-caller-data-at-limit", connect(data=bytes(range(16))), d_connect(data=bytes(range(16))))
    ok("connect-limits-zero-reason-1024", connect(0, 0, 0, 1024), d_connect(0, 0, 0, 1024))
    ok("connect-limits-hard-maximum", connect(MAX_USER_DATA, MAX_USER_DATA, MAX_USER_DATA, MAX_USER_DATA),
       d_connect(MAX_USER_DATA, MAX_USER_DATA, MAX_USER_DATA, MAX_USER_DATA))
    # Section 6: a peer MUST NOT advertise more than 16 MiB, but a larger value is not a violation: the
    # receiver takes it as 16 MiB (so encoding the decoded frame again does not give the bytes back).
    ok("connect-limits-u32-max", connect(NS, NS, NS, NS), d_connect(NS, NS, NS, NS), canonical=False)
    ok("connect-limits-just-above-hard-maximum", connect(MAX_USER_DATA + 1, MAX_USER_DATA + 1, MAX_USER_DATA + 1,
                                                         MAX_USER_DATA + 1),
       d_connect(MAX_USER_DATA + 1, MAX_USER_DATA + 1, MAX_USER_DATA + 1, MAX_USER_DATA + 1), canonical=False)
    ok("connect-qos", connect(qos=QOS_SIMPLE, data=b"alice"), d_connect(qos=QOS_SIMPLE, data=b"alice"))
    ok("connect-qos-all-fields", connect(qos=QOS_FULL),
       "CONNECT maxMessage=32 maxCalleeData=16 maxDisconnectData=16 maxReasonData=1024 early=0 qos=%s data="
       % QOS_FULL_TEXT)
    for kind in (0, 1, 2, 3):
        g = (kind, 0x01020304 if kind == 1 else 0, 7)
        ok("connect-group-" + GROUP_KIND[kind].lower(), connect(group=g), d_connect(group=g))
    g = (1, 0xFFFFFFFF, 0xFFFF)
    ok("connect-qos-group-data", connect(qos=QOS_SIMPLE, group=g, data=b"alice"),
       d_connect(qos=QOS_SIMPLE, group=g, data=b"alice"))
    ok("connect-qos-group-data-at-limit", connect(qos=QOS_SIMPLE, group=g, data=b"x" * 16),
       d_connect(qos=QOS_SIMPLE, group=g, data=b"x" * 16))
    ok("connect-unknown-flags-ignored", connect(data=b"a", flags=0xFC), d_connect(data=b"a"), canonical=False)
    # The early length (section 4.6): caller data length plus early length at most max caller data.
    ok("connect-early-length", connect(early=6, data=b"hi"), d_connect(early=6, data=b"hi"))
    ok("connect-caller-data-and-early-at-limit", connect(early=6, data=b"0123456789"),
       d_connect(early=6, data=b"0123456789"))
    ok("connect-early-alone-at-limit", connect(early=16), d_connect(early=16))
    raw = connect(early=7, data=b"0123456789")
    bad("connect-caller-data-and-early-over-limit", raw, err("DATA_TOO_LARGE", at_end(raw)))
    raw = connect(early=17)
    bad("connect-early-alone-over-limit", raw, err("DATA_TOO_LARGE", at_end(raw)))
    raw = connect(early=NS)
    bad("connect-early-u32-max", raw, err("DATA_TOO_LARGE", at_end(raw)))
    raw = connect(early=NS, declared=NS)
    bad("connect-caller-data-length-and-early-u32-max", raw, err("DATA_TOO_LARGE", at_end(raw)))
    first = connect(early=9, data=b"01234567", split=[2, 6])[:4 + CONNECT_FIXED + 2]
    bad("connect-early-over-limit-before-continuations", first + cont(b"234567"), err("DATA_TOO_LARGE", at_end(first)))
    # Max reason data below 1024 (a malformed field: detected at the end of the frame, section 4).
    raw = connect(max_reason=1023)
    bad("connect-max-reason-data-1023", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = connect(max_reason=0, data=b"a")
    bad("connect-max-reason-data-0", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    # Shorter than the fixed part (detected at the header).
    bad("connect-empty", frame(0x01, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("connect-shorter-than-fixed", frame(0x01, 0, bytes(23)), err("PROTOCOL_VIOLATION", 3))
    bad("connect-previous-layout", frame(0x01, 0, struct.pack(">IHH", 32, 16, 16) + b"alice"),
        err("PROTOCOL_VIOLATION", 3))
    bad("connect-qos-flag-too-short", frame(0x01, 0x01, bytes(24 + 63)), err("PROTOCOL_VIOLATION", 3))
    bad("connect-group-flag-too-short", frame(0x01, 0x02, bytes(24 + 6)), err("PROTOCOL_VIOLATION", 3))
    bad("connect-qos-group-too-short", frame(0x01, 0x03, bytes(24 + 64 + 6)), err("PROTOCOL_VIOLATION", 3))
    # Malformed fields (detected at the end of the frame).
    raw = connect(qos=(flowspec(service=0x7), flowspec()))
    bad("connect-unknown-service-type", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = connect(qos=(flowspec(), flowspec(service=0x4000000B)))
    bad("connect-unknown-service-type-with-flags", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = connect(qos=(flowspec(service=0x00FFFFFF), flowspec()))
    bad("connect-service-type-low-bits-all-ones", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = connect(group=(4, 0, 0), data=b"a")
    bad("connect-unknown-group-kind", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = connect(group=(255, 0, 0))
    bad("connect-group-kind-255", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    # Caller data over the limit: at the header when the part in the frame alone exceeds it, else at the
    # end of the first frame (section 4.5, section 6).
    bad("connect-caller-data-over-limit-in-frame", connect(data=bytes(17)), err("DATA_TOO_LARGE", 3))
    bad("connect-qos-group-caller-data-over-limit-in-frame", connect(qos=QOS_SIMPLE, group=g, data=bytes(17)),
        err("DATA_TOO_LARGE", 3))
    bad("connect-huge-payload-length", struct.pack(">BBH", 0x01, 0, 0xFFFF), err("DATA_TOO_LARGE", 3))
    first = connect(declared=17, data=b"abcde", split=[5])
    bad("connect-caller-data-over-limit-declared", first + cont(bytes(12)), err("DATA_TOO_LARGE", at_end(first)))
    first = connect(declared=17)
    bad("connect-caller-data-over-limit-declared-empty-first-part", first, err("DATA_TOO_LARGE", at_end(first)))
    raw = connect(declared=2, data=b"abc")
    bad("connect-first-part-longer-than-declared", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = connect(declared=0, data=b"a")
    bad("connect-byte-beyond-declared-zero", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    # Caller data in CONTINUATIONs (section 4.5): the frame is reported once, with the whole data.
    sixteen = bytes(range(0x30, 0x40))
    ok("connect-caller-data-1-in-continuation", connect(data=b"z", split=[0, 1]), d_connect(data=b"z"),
       canonical=False)
    ok("connect-caller-data-at-limit-split", connect(data=sixteen, split=[5, 11]), d_connect(data=sixteen),
       canonical=False)
    ok("connect-caller-data-at-limit-all-in-continuation", connect(data=sixteen, split=[0, 16]),
       d_connect(data=sixteen), canonical=False)
    ok("connect-caller-data-many-parts-with-empty-continuations", connect(data=sixteen, split=[1, 0, 2, 0, 13]),
       d_connect(data=sixteen), canonical=False)
    ok("connect-caller-data-and-early-at-limit-split", connect(early=6, data=b"0123456789", split=[4, 6]),
       d_connect(early=6, data=b"0123456789"), canonical=False)
    ok("connect-qos-group-caller-data-split", connect(qos=QOS_SIMPLE, group=g, data=b"alice", split=[2, 3]),
       d_connect(qos=QOS_SIMPLE, group=g, data=b"alice"), canonical=False)
    ok("connect-split-then-data", connect(data=b"alice", split=[3, 2]) + data(b"x"),
       seq(d_connect(data=b"alice"), d_data(b"x")), canonical=False)
    ok("connect-caller-data-needs-continuation", connect(data=b"alice", split=[2, 3])[:-(4 + 3)], "partial",
       canonical=False)
    ok("connect-caller-data-continuation-incomplete", connect(data=b"alice", split=[2, 3])[:-1], "partial",
       canonical=False)
    first = connect(data=b"abcd", split=[1, 3])[:-(4 + 3)] + cont(b"b")
    bad("connect-continuation-past-declared", first + cont(b"cde"), err("PROTOCOL_VIOLATION", at_header(first)))
    first = connect(data=b"abcd", split=[2, 2])[:-(4 + 2)]
    bad("connect-continuation-past-declared-in-one", first + cont(b"cde"), err("PROTOCOL_VIOLATION", at_header(first)))
    first = connect()
    bad("connect-empty-continuation-with-nothing-outstanding", first + cont(),
        seq(d_connect(), err("PROTOCOL_VIOLATION", at_header(first))))
    first = connect(data=b"ab", split=[1, 1])
    bad("connect-continuation-after-complete-data", first + cont(b"c"),
        seq(d_connect(data=b"ab"), err("PROTOCOL_VIOLATION", at_header(first))))
    first = connect(data=b"alice", split=[2, 3])[:-(4 + 3)]
    bad("connect-data-between-continuations", first + data(b"x") + cont(b"ice"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    bad("connect-message-size-between-continuations", first + message_size(1) + cont(b"ice"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    bad("connect-connect-between-continuations", first + connect() + cont(b"ice"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    ok("connect-unknown-extension-between-continuations", first + frame(0x90, 0, b"zz") + cont(b"ice"),
       d_connect(data=b"alice"), canonical=False)
    ok("connect-former-close-seen-between-continuations", first + frame(0x82, 0, b"") + cont(b"i") +
       frame(0x82, 0, b"x") + cont(b"ce"), d_connect(data=b"alice"), canonical=False)
    ok("connect-abort-between-continuations", first + abort(11), seq(d_abort(11), "partial"), canonical=False)

    # ---- ACCEPT, section 4.2
    ok("accept-minimal", accept(), d_accept())
    ok("accept-callee-data", accept(data=b"welcome"), d_accept(data=b"welcome"))
    ok("accept-callee-data-at-limit", accept(data=sixteen), d_accept(data=sixteen))
    ok("accept-limits-u32-max", accept(NS, NS), d_accept(NS, NS), canonical=False)
    ok("accept-qos", accept(qos=QOS_SIMPLE), d_accept(qos=QOS_SIMPLE))
    ok("accept-group", accept(group=(0x01020304, 2)), d_accept(group=(0x01020304, 2)))
    ok("accept-qos-group-data", accept(qos=QOS_SIMPLE, group=(9, 0), data=b"hi"),
       d_accept(qos=QOS_SIMPLE, group=(9, 0), data=b"hi"))
    ok("accept-unknown-flags-ignored", accept(flags=0x80), d_accept(), canonical=False)
    bad("accept-empty", frame(0x02, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("accept-shorter-than-fixed", frame(0x02, 0, bytes(11)), err("PROTOCOL_VIOLATION", 3))
    bad("accept-previous-layout", frame(0x02, 0, struct.pack(">IH", 32, 16) + b"hi"), err("PROTOCOL_VIOLATION", 3))
    bad("accept-qos-flag-too-short", frame(0x02, 0x01, bytes(12 + 63)), err("PROTOCOL_VIOLATION", 3))
    bad("accept-group-flag-too-short", frame(0x02, 0x02, bytes(12 + 5)), err("PROTOCOL_VIOLATION", 3))
    raw = accept(qos=(flowspec(), flowspec(service=0x8)))
    bad("accept-unknown-service-type", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    bad("accept-callee-data-over-limit-in-frame", accept(data=bytes(17)), err("DATA_TOO_LARGE", 3))
    first = accept(declared=17, data=b"abcd", split=[4])
    bad("accept-callee-data-over-limit-declared", first + cont(bytes(13)), err("DATA_TOO_LARGE", at_end(first)))
    raw = accept(declared=NS)
    bad("accept-callee-data-length-u32-max", raw, err("DATA_TOO_LARGE", at_end(raw)))
    raw = accept(declared=1, data=b"ab")
    bad("accept-first-part-longer-than-declared", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    ok("accept-callee-data-1-in-continuation", accept(data=b"w", split=[0, 1]), d_accept(data=b"w"),
       canonical=False)
    ok("accept-callee-data-at-limit-split", accept(data=sixteen, split=[8, 8]), d_accept(data=sixteen),
       canonical=False)
    ok("accept-qos-group-callee-data-split", accept(qos=QOS_SIMPLE, group=(9, 0), data=b"hello", split=[0, 0, 5]),
       d_accept(qos=QOS_SIMPLE, group=(9, 0), data=b"hello"), canonical=False)
    ok("accept-callee-data-needs-continuation", accept(data=b"welcome", split=[3, 4])[:-(4 + 4)], "partial",
       canonical=False)
    first = accept(data=b"welcome", split=[3, 4])[:-(4 + 4)]
    bad("accept-continuation-past-declared", first + cont(b"comes"), err("PROTOCOL_VIOLATION", at_header(first)))
    bad("accept-pending-between-continuations", first + pending() + cont(b"come"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    bad("accept-data-between-continuations", first + data(b"x") + cont(b"come"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    ok("accept-unknown-extension-between-continuations", first + frame(0xC0, 0, bytes(100)) + cont(b"come"),
       d_accept(data=b"welcome"), canonical=False)

    # ---- REJECT, section 4.3 (reason data limit: maxReasonData)
    ok("reject-no-data", reject(1), d_reject(1))
    ok("reject-text", reject(2, b"queue full"), d_reject(2, b"queue full"))
    ok("reject-unknown-reason-code", reject(999, b"?"), d_reject(999, b"?"))
    ok("reject-local-only-code-on-wire", reject(256), d_reject(256))
    ok("reject-version-unsupported-code-on-wire", reject(10), d_reject(10))
    ok("reject-data-too-large", reject(13), d_reject(13))
    text = b"0123456789abcdef" * 64
    ok("reject-reason-data-at-limit", reject(1, text), d_reject(1, text))
    bad("reject-reason-data-over-limit-in-frame", reject(1, text + b"!"), err("DATA_TOO_LARGE", 3))
    first = reject(1, text[:1000] + b"!" * 25, split=[1000, 25])[:REJECT_FIXED + 4 + 1000]
    bad("reject-reason-data-over-limit-declared", first + cont(b"!" * 25), err("DATA_TOO_LARGE", at_end(first)))
    raw = reject(1, declared=NS)
    bad("reject-reason-data-length-u32-max", raw, err("DATA_TOO_LARGE", at_end(raw)))
    ok("reject-reason-data-at-limit-split", reject(1, text, split=[1000, 24]), d_reject(1, text), canonical=False)
    ok("reject-reason-data-1-in-continuation", reject(1, b"x", split=[0, 1]), d_reject(1, b"x"), canonical=False)
    first = reject(1)
    bad("reject-empty-continuation-with-nothing-outstanding", first + cont(),
        seq(d_reject(1), err("PROTOCOL_VIOLATION", at_header(first))))
    raw = reject(1, b"busy", declared=3)
    bad("reject-first-part-longer-than-declared", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    first = reject(1, b"busy", split=[1, 3])[:-(4 + 3)]
    bad("reject-continuation-past-declared", first + cont(b"usy!"), err("PROTOCOL_VIOLATION", at_header(first)))
    ok("reject-reason-data-needs-continuation", first, "partial", canonical=False)
    ok("reject-abort-between-continuations", first + abort(7), seq(d_abort(7), "partial"), canonical=False)
    bad("reject-too-short", frame(0x03, 0, b"\x00"), err("PROTOCOL_VIOLATION", 3))
    bad("reject-previous-layout", frame(0x03, 0, b"\x00\x01" + b"abc"), err("PROTOCOL_VIOLATION", 3))

    # ---- PENDING, section 4.4
    ok("pending", pending(), D_PENDING)
    ok("pending-payload-ignored", pending(b"future"), D_PENDING, canonical=False)
    ok("pending-large-payload-skipped", pending(bytes(300)) + pending(), seq(D_PENDING, D_PENDING), canonical=False)
    ok("pending-unknown-flags-ignored", pending(flags=0xFF), D_PENDING, canonical=False)

    # ---- ABORT, section 4.9
    ok("abort-no-data", abort(9), d_abort(9))
    ok("abort-text", abort(7, b"bad frame"), d_abort(7, b"bad frame"))
    ok("abort-unknown-reason", abort(4242), d_abort(4242))
    ok("abort-reason-data-1024", abort(7, text), d_abort(7, text))
    bad("abort-reason-data-1025", abort(7, text + b"!"), err("PROTOCOL_VIOLATION", 3))
    bad("abort-empty", frame(0x21, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("abort-one-byte", frame(0x21, 0, b"\x00"), err("PROTOCOL_VIOLATION", 3))
    first = abort(9, b"bye")
    bad("abort-then-continuation", first + cont(b"x"), seq(d_abort(9, b"bye"), err("PROTOCOL_VIOLATION",
                                                                                      at_header(first))))

    # ---- DATA, section 4.6
    ok("data-empty-message", data(), d_data())
    ok("data-one-frame", data(b"hello"), d_data(b"hello"))
    ok("data-two-messages", data(b"a") + data(b"b"), seq(d_data(b"a"), d_data(b"b")))
    ok("data-fragments", data(b"hel", True) + data(b"lo"), seq(d_data(b"hel", True), d_data(b"lo")))
    ok("data-empty-last-fragment", data(b"abc", True) + data(), seq(d_data(b"abc", True), d_data()))
    ok("data-message-at-limit-3-fragments", data(b"a" * 12, True) + data(b"b" * 12, True) + data(b"c" * 8),
       seq(d_data(b"a" * 12, True), d_data(b"b" * 12, True), d_data(b"c" * 8)))
    ok("data-limit-applies-per-message", data(b"a" * 32) + data(b"b" * 32), seq(d_data(b"a" * 32), d_data(b"b" * 32)))
    ok("data-unknown-flags-ignored", frame(0x10, 0xFE, b"x"), d_data(b"x"), canonical=False)
    bad("data-over-limit-one-frame", data(bytes(33)), err("MESSAGE_TOO_LARGE", 3))
    first = data(bytes(20), True)
    bad("data-over-limit-across-fragments", first + data(bytes(13)),
        seq(d_data(bytes(20), True), err("MESSAGE_TOO_LARGE", at_header(first))))
    ok("data-abort-between-fragments", data(b"ab", True) + abort(9), seq(d_data(b"ab", True), d_abort(9)))
    first = data(b"ab", True)
    for name, between in (("disconnect", disconnect(b"t")), ("connect", connect()), ("pending", pending()),
                          ("disconnect-ack", disconnect_ack()), ("continuation", cont(b"cd"))):
        bad("data-%s-between-fragments" % name, first + between,
            seq(d_data(b"ab", True), err("PROTOCOL_VIOLATION", at_header(first))))
    first = data(b"", True)
    bad("data-empty-fragment-then-disconnect", first + disconnect(),
        seq(d_data(b"", True), err("PROTOCOL_VIOLATION", at_header(first))))
    first = data(b"ok")
    bad("data-then-continuation", first + cont(b"more"), seq(d_data(b"ok"), err("PROTOCOL_VIOLATION", at_header(first))))
    ok("data-incomplete", data(b"hello")[:6], "partial", canonical=False)

    # ---- MESSAGE_SIZE, an ignorable extension this version knows (section 4.11)
    ok("message-size", message_size(5), d_message_size(5))
    ok("message-size-then-fragments", message_size(5) + data(b"hel", True) + data(b"lo"),
       seq(d_message_size(5), d_data(b"hel", True), d_data(b"lo")))
    ok("message-size-at-limit", message_size(32) + data(b"a" * 16, True) + data(b"b" * 16),
       seq(d_message_size(32), d_data(b"a" * 16, True), d_data(b"b" * 16)))
    ok("message-size-one-frame-message", message_size(2) + data(b"hi"), seq(d_message_size(2), d_data(b"hi")))
    ok("message-size-zero-empty-fragments", message_size(0) + data(b"", True) + data(),
       seq(d_message_size(0), d_data(b"", True), d_data()))
    ok("message-size-covers-one-message", message_size(2) + data(b"hi") + data(b"abc"),
       seq(d_message_size(2), d_data(b"hi"), d_data(b"abc")))
    ok("message-size-then-abort", message_size(5) + abort(9), seq(d_message_size(5), d_abort(9)))
    ok("message-size-unknown-extension-before-first-fragment",
       message_size(2) + frame(0x90, 0, b"z") + data(b"h", True) + data(b"i"),
       seq(d_message_size(2), d_data(b"h", True), d_data(b"i")), canonical=False)
    ok("message-size-former-close-seen-before-first-fragment",
       message_size(2) + frame(0x82, 0, b"") + data(b"hi"), seq(d_message_size(2), d_data(b"hi")), canonical=False)
    ok("message-size-unknown-flags-ignored", frame(0x81, 0xFF, u32(1)) + data(b"x"),
       seq(d_message_size(1), d_data(b"x")), canonical=False)
    bad("message-size-length-3", frame(0x81, 0, bytes(3)), err("PROTOCOL_VIOLATION", 3))
    bad("message-size-length-5", frame(0x81, 0, bytes(5)), err("PROTOCOL_VIOLATION", 3))
    bad("message-size-empty", frame(0x81, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("message-size-over-limit", message_size(33), err("MESSAGE_TOO_LARGE", 7))
    bad("message-size-u32-max", message_size(0xFFFFFFFF), err("MESSAGE_TOO_LARGE", 7))
    first = message_size(4) + data(b"abc", True)
    bad("message-size-fragments-exceed-it", first + data(b"de"),
        seq(d_message_size(4), d_data(b"abc", True), err("PROTOCOL_VIOLATION", at_header(first))))
    first = message_size(6) + data(b"abc", True)
    bad("message-size-fragments-fall-short", first + data(b"de"),
        seq(d_message_size(6), d_data(b"abc", True), err("PROTOCOL_VIOLATION", at_header(first))))
    bad("message-size-one-frame-message-short", message_size(3) + data(b"hi"),
        seq(d_message_size(3), err("PROTOCOL_VIOLATION", 8 + 3)))
    bad("message-size-one-frame-message-long", message_size(1) + data(b"hi"),
        seq(d_message_size(1), err("PROTOCOL_VIOLATION", 8 + 3)))
    bad("message-size-twice", message_size(4) + message_size(4), seq(d_message_size(4), err("PROTOCOL_VIOLATION", 11)))
    bad("message-size-then-disconnect", message_size(4) + disconnect(),
        seq(d_message_size(4), err("PROTOCOL_VIOLATION", 11)))
    bad("message-size-then-continuation", message_size(4) + cont(b"abcd"),
        seq(d_message_size(4), err("PROTOCOL_VIOLATION", 11)))
    first = data(b"ab", True)
    bad("message-size-between-fragments", first + message_size(4),
        seq(d_data(b"ab", True), err("PROTOCOL_VIOLATION", at_header(first))))

    # ---- DISCONNECT, section 4.7
    ok("disconnect-empty", disconnect(), d_disconnect())
    ok("disconnect-data", disconnect(b"total=25"), d_disconnect(b"total=25"))
    ok("disconnect-closed", disconnect(b"1025", True), d_disconnect(b"1025", True))
    ok("disconnect-at-limit", disconnect(sixteen), d_disconnect(sixteen))
    ok("disconnect-unknown-flags-ignored", disconnect(b"x", flags=0xFE), d_disconnect(b"x"), canonical=False)
    bad("disconnect-previous-empty-layout", frame(0x20, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("disconnect-too-short", frame(0x20, 0, b"\x00\x00\x00"), err("PROTOCOL_VIOLATION", 3))
    bad("disconnect-over-limit-in-frame", disconnect(bytes(17)), err("DATA_TOO_LARGE", 3))
    bad("disconnect-huge-payload-length", struct.pack(">BBH", 0x20, 0, 0xFFFF), err("DATA_TOO_LARGE", 3))
    first = disconnect(declared=17)
    bad("disconnect-over-limit-declared", first + cont(bytes(17)), err("DATA_TOO_LARGE", at_end(first)))
    first = disconnect(b"0123456789", declared=17)
    bad("disconnect-over-limit-declared-part-in-frame", first + cont(bytes(7)), err("DATA_TOO_LARGE", at_end(first)))
    raw = disconnect(declared=NS)
    bad("disconnect-length-u32-max", raw, err("DATA_TOO_LARGE", at_end(raw)))
    raw = disconnect(b"abc", declared=2)
    bad("disconnect-first-part-longer-than-declared", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    ok("disconnect-data-1-in-continuation", disconnect(b"t", split=[0, 1]), d_disconnect(b"t"), canonical=False)
    ok("disconnect-at-limit-split", disconnect(sixteen, split=[4, 0, 12]), d_disconnect(sixteen), canonical=False)
    ok("disconnect-closed-split", disconnect(b"1025", True, split=[2, 2]), d_disconnect(b"1025", True),
       canonical=False)
    ok("disconnect-continuation-unknown-flags-ignored",
       disconnect(b"ab", split=[1, 1])[:-5] + cont(b"b", flags=0xFF), d_disconnect(b"ab"), canonical=False)
    first = disconnect(b"bye", split=[1, 2])[:-(4 + 2)]
    ok("disconnect-needs-continuation", first, "partial", canonical=False)
    bad("disconnect-continuation-past-declared", first + cont(b"yes"), err("PROTOCOL_VIOLATION", at_header(first)))
    bad("disconnect-disconnect-between-continuations", first + disconnect(b"x") + cont(b"ye"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    bad("disconnect-disconnect-ack-between-continuations", first + disconnect_ack() + cont(b"ye"),
        err("PROTOCOL_VIOLATION", at_header(first)))
    ok("disconnect-unknown-extension-between-continuations", first + frame(0xFF, 0, b"?") + cont(b"ye"),
       d_disconnect(b"bye"), canonical=False)
    ok("disconnect-abort-between-continuations", first + abort(9), seq(d_abort(9), "partial"), canonical=False)
    first = disconnect(b"ab")
    bad("disconnect-continuation-after-complete-data", first + cont(b"c"),
        seq(d_disconnect(b"ab"), err("PROTOCOL_VIOLATION", at_header(first))))

    # ---- DISCONNECT_ACK, section 4.8 (whether one is legal is the engine's business, not the decoder's)
    ok("disconnect-ack", disconnect_ack(), D_ACK)
    ok("disconnect-ack-unknown-flags-ignored", disconnect_ack(flags=0xFF), D_ACK, canonical=False)
    ok("disconnect-then-disconnect-ack", disconnect(b"25") + disconnect_ack(), seq(d_disconnect(b"25"), D_ACK))
    ok("disconnect-ack-then-disconnect", disconnect_ack() + disconnect(b"1025"), seq(D_ACK, d_disconnect(b"1025")))
    bad("disconnect-ack-with-payload", disconnect_ack(b"x"), err("PROTOCOL_VIOLATION", 3))
    bad("disconnect-ack-huge-payload-length", struct.pack(">BBH", 0x22, 0, 0xFFFF), err("PROTOCOL_VIOLATION", 3))
    first = disconnect_ack()
    bad("disconnect-ack-then-continuation", first + cont(),
        seq(D_ACK, err("PROTOCOL_VIOLATION", at_header(first))))

    # ---- CONTINUATION with nothing outstanding, section 4.5
    bad("continuation-alone", cont(b"abc"), err("PROTOCOL_VIOLATION", 3))
    bad("continuation-empty-alone", cont(), err("PROTOCOL_VIOLATION", 3))

    # ---- extension rules, section 9
    ok("unknown-type-0x80-skipped", frame(0x80, 0, b"abc") + data(b"hi"), d_data(b"hi"), canonical=False)
    ok("unknown-type-0xff-empty-skipped", frame(0xFF, 0xFF, b"") + data(b"hi"), d_data(b"hi"), canonical=False)
    ok("unknown-type-large-skipped", frame(0xC3, 0, bytes(300)) + disconnect(), d_disconnect(), canonical=False)
    ok("unknown-type-between-fragments-skipped", data(b"ab", True) + frame(0x90, 0, b"zz") + data(b"cd"),
       seq(d_data(b"ab", True), d_data(b"cd")), canonical=False)
    ok("former-close-seen-0x82-skipped", frame(0x82, 0, b"") + data(b"hi"), d_data(b"hi"), canonical=False)
    ok("former-close-seen-0x82-with-payload-skipped", data(b"a", True) + frame(0x82, 0, b"xy") + data(b"b"),
       seq(d_data(b"a", True), d_data(b"b")), canonical=False)
    # ---- KEEPALIVE (0x83), section 9.1: skipped wherever it comes, like any ignorable extension
    ok("keepalive-skipped", frame(0x83, 0, b"") + data(b"hi"), d_data(b"hi"), canonical=False)
    ok("keepalive-between-fragments-skipped", data(b"a", True) + frame(0x83, 0, b"") + data(b"b"),
       seq(d_data(b"a", True), d_data(b"b")), canonical=False)
    ok("keepalive-after-disconnect-skipped", disconnect(b"x") + frame(0x83, 0, b""), d_disconnect(b"x"),
       canonical=False)
    ok("keepalive-with-payload-skipped", frame(0x83, 0, b"zz") + data(b"hi"), d_data(b"hi"), canonical=False)
    for t in (0x00, 0x06, 0x11, 0x23, 0x7F):
        bad("unknown-type-0x%02x" % t, frame(t, 0, b"ab"), err("PROTOCOL_VIOLATION", 3))
    first = data(b"ok")
    bad("unknown-type-after-valid-frame", first + frame(0x11, 0, b""),
        seq(d_data(b"ok"), err("PROTOCOL_VIOLATION", at_header(first))))

    # ---- version 2, section 13: QOS_REQUEST and QOS_ANSWER (input "frames-v2"); unknown core types in v1
    def ok2(name, raw, expect):
        row(name, "frames-v2", raw, expect, True)

    def bad2(name, raw, expect):
        row(name, "frames-v2", raw, expect, False)

    ok2("v2-qos-request", qos_request(QOS_SIMPLE), d_qos_request(QOS_SIMPLE))
    ok2("v2-qos-request-every-field", qos_request(QOS_FULL), d_qos_request(QOS_FULL))
    ok2("v2-qos-answer-granted", qos_answer(QOS_SIMPLE), d_qos_answer(QOS_SIMPLE))
    ok2("v2-qos-answer-refused", qos_answer(reason=1), d_qos_answer(reason=1))
    ok2("v2-qos-answer-collision", qos_answer(reason=14), d_qos_answer(reason=14))
    ok2("v2-qos-answer-unknown-reason", qos_answer(reason=999), d_qos_answer(reason=999))
    ok2("v2-qos-request-between-messages", data(b"a") + qos_request(QOS_SIMPLE) + data(b"b"),
        seq(d_data(b"a"), d_qos_request(QOS_SIMPLE), d_data(b"b")))
    bad2("v2-qos-request-short", frame(0x30, 0, bytes(63)), err("PROTOCOL_VIOLATION", 3))
    bad2("v2-qos-request-long", frame(0x30, 0, bytes(65)), err("PROTOCOL_VIOLATION", 3))
    bad2("v2-qos-answer-granted-without-qos", frame(0x31, 1, struct.pack(">H", 1)), err("PROTOCOL_VIOLATION", 3))
    bad2("v2-qos-answer-refusal-with-qos", frame(0x31, 0, QOS_SIMPLE[0] + QOS_SIMPLE[1]),
         err("PROTOCOL_VIOLATION", 3))
    bogus = (flowspec(service=0x7), flowspec())
    bad2("v2-qos-request-unknown-service-type", qos_request(bogus), err("PROTOCOL_VIOLATION", 4 + 64 - 1))
    first = data(b"a", True)
    bad2("v2-qos-request-inside-a-message", first + qos_request(QOS_SIMPLE),
         seq(d_data(b"a", True), err("PROTOCOL_VIOLATION", at_header(first))))
    row("v2-qos-answer-unknown-flag-bits-ignored", "frames-v2", frame(0x31, 0x03, QOS_SIMPLE[0] + QOS_SIMPLE[1]),
        d_qos_answer(QOS_SIMPLE), False)
    ok2("v2-qos-answer-local-only-reason", qos_answer(reason=0x100), d_qos_answer(reason=0x100))
    bad2("v2-qos-answer-empty", frame(0x31, 0, b""), err("PROTOCOL_VIOLATION", 3))
    first = message_size(2)
    bad2("v2-qos-answer-between-message-size-and-data", first + qos_answer(reason=1),
         seq(d_message_size(2), err("PROTOCOL_VIOLATION", at_header(first))))
    # version 2's ACCEPT names the group's kind (section 13.4)
    ok2("v2-accept-group-unconstrained", accept(group=(2, 7, 1)), d_accept(group=(2, 7, 1)))
    ok2("v2-accept-group-constrained-with-qos", accept(qos=QOS_SIMPLE, group=(3, 9, 0), data=b"hi"),
        d_accept(qos=QOS_SIMPLE, group=(3, 9, 0), data=b"hi"))
    raw = accept(group=(1, 7, 1))
    bad2("v2-accept-group-kind-join", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    raw = accept(group=(0, 7, 1))
    bad2("v2-accept-group-kind-none", raw, err("PROTOCOL_VIOLATION", at_end(raw)))
    bad2("v2-accept-group-as-version-1-has-it", accept(group=(7, 1)), err("PROTOCOL_VIOLATION", 3))
    bad("v1-qos-request-is-an-unknown-type", qos_request(QOS_SIMPLE), err("PROTOCOL_VIOLATION", 3))
    bad("v1-qos-answer-is-an-unknown-type", qos_answer(reason=1), err("PROTOCOL_VIOLATION", 3))
    return rows


# ------------------------------------------------------------------------------------------ engine.tsv

def be(rate):
    """A best-effort flow spec with token rate RATE and bucket 1000, the rest not specified."""
    return flowspec(rate=rate, bucket=1000, service=0x1)


def engine_rows():
    P = preamble()
    C_OUT = seq(d_preamble(), d_connect())
    ACC = accept()
    REQ = P + connect(data=b"alice")
    REQ_EV = "ConnectRequested:616c696365"
    rows = []

    def row(name, role, steps, state, events):
        assert name not in [r[0] for r in rows], name
        rows.append((name, role, " ; ".join(steps), "state=%s events=%s" % (state, ",".join(events))))

    def i(raw):
        return "in:" + hx(raw)

    def out(*items):
        return "out:" + seq(*items)

    def ab(code):
        return d_reason("ABORT", code, with_data=False)

    def rj(code):
        return d_reason("REJECT", code, with_data=False)

    # ---- caller: the request and its answer
    row("caller-accepted", "caller", ["connect", out(C_OUT), "state:CONNECTING", i(P + ACC), "out:"], "OPEN",
        ["Accepted:"])
    row("caller-accepted-with-data-and-group", "caller",
        ["connect:616c696365", i(P + accept(group=(5, 1), data=b"hi")), out(d_preamble(), d_connect(data=b"alice"))],
        "OPEN", ["Accepted:6869"])
    row("caller-granted-qos-within-request", "caller",
        ["connect-qos:1000", out(d_preamble(), d_connect(qos=(be(1000), be(1000)))),
         i(P + accept(qos=(be(500), be(1000))))],
        "OPEN", ["Accepted:"])
    row("caller-granted-qos-above-request", "caller",
        ["connect-qos:1000", i(P + accept(qos=(be(1000), be(1001)))),
         out(d_preamble(), d_connect(qos=(be(1000), be(1000))), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-granted-qos-not-requested", "caller",
        ["connect", out(C_OUT), i(P + accept(qos=(flowspec(service=1), flowspec()))), out(ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-pending-then-accept", "caller",
        ["connect", i(P + pending()), "state:CONNECTING", i(pending(b"x") + ACC)], "OPEN",
        ["Deferred", "Deferred", "Accepted:"])
    row("caller-rejected", "caller", ["connect", i(P + reject(1, b"busy")), out(C_OUT)],
        "CLOSED", ["Closed:REFUSED/REFUSED"])
    row("caller-rejected-data-too-large", "caller", ["connect", i(P + reject(13))],
        "CLOSED", ["Closed:REFUSED/DATA_TOO_LARGE"])
    row("caller-rejected-message-too-large", "caller", ["connect:/" + hx(bytes(40)), i(P + reject(8))],
        "CLOSED", ["Closed:REFUSED/MESSAGE_TOO_LARGE"])
    row("caller-rejected-local-only-code-on-wire", "caller", ["connect", i(P + reject(10))],
        "CLOSED", ["Closed:REFUSED/UNSPECIFIED"])
    row("caller-aborted-by-callee", "caller", ["connect", i(P + abort(6))], "CLOSED", ["Closed:RESET/TIMED_OUT"])
    row("caller-data-before-accept", "caller", ["connect", out(C_OUT), i(P + data(b"x")), out(ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-connect-frame-from-callee", "caller", ["connect", out(C_OUT), i(P + connect()), out(ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-disconnect-before-accept", "caller", ["connect", out(C_OUT), i(P + disconnect()), out(ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-disconnect-ack-while-connecting", "caller",
        ["connect", out(C_OUT), i(P + disconnect_ack()), out(ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    # User data over the caller's limits: ABORT DATA_TOO_LARGE (section 6).
    row("caller-callee-data-over-limit", "caller", ["connect", out(C_OUT), i(P + accept(data=bytes(17))), out(ab(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("caller-callee-data-over-limit-declared", "caller",
        ["connect", out(C_OUT), i(P + accept(declared=17, data=b"abcd", split=[4])), out(ab(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("caller-reject-reason-data-over-limit", "caller",
        ["connect", out(C_OUT), i(P + reject(1, bytes(1025))), out(ab(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("caller-reject-reason-data-over-limit-declared", "caller",
        ["connect", out(C_OUT), i(P + reject(1, b"busy", declared=1025, split=[4])), out(ab(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    # User data in CONTINUATIONs: the frame counts once its data is complete (section 4.5).
    row("caller-callee-data-in-continuations", "caller",
        ["connect", out(C_OUT), i(P + accept(data=b"welcome", split=[3, 4])[:-(4 + 4)]), "state:CONNECTING",
         "timeout:5000", "out:", i(cont(b"co") + cont() + cont(b"me")), "state:OPEN", "out:"],
        "OPEN", ["Accepted:77656c636f6d65"])
    row("caller-pending-between-accept-and-continuation", "caller",
        ["connect", out(C_OUT), i(P + accept(data=b"welcome", split=[3, 4])[:-(4 + 4)] + pending()), out(ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-abort-between-accept-and-continuation", "caller",
        ["connect", i(P + accept(data=b"welcome", split=[3, 4])[:-(4 + 4)] + abort(3)), out(C_OUT)],
        "CLOSED", ["Closed:RESET/SHUTTING_DOWN"])
    row("caller-timeout-while-accept-incomplete", "caller",
        ["connect", i(P + accept(data=b"welcome", split=[3, 4])[:-(4 + 4)]), "timeout:10000", out(C_OUT, ab(11))],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("caller-reason-data-in-continuation", "caller",
        ["connect", i(P + reject(1, bytes(range(256)) * 4, split=[1000, 24])), out(C_OUT)],
        "CLOSED", ["Closed:REFUSED/REFUSED"])
    # Versions and strangers (section 3).
    row("caller-version-too-new", "caller", ["connect", out(C_OUT), i(preamble(2, 3)), "out:"],
        "CLOSED", ["Closed:REFUSED/VERSION_UNSUPPORTED"])
    row("caller-version-overlap", "caller", ["connect", i(preamble(0, 7) + ACC)], "OPEN", ["Accepted:"])
    row("caller-not-parley", "caller", ["connect", out(C_OUT), i(b"HTTP/1.1 400 Bad Request\r\n"), "out:"],
        "CLOSED", ["Closed:ABORTED/NOT_PARLEY"])
    row("caller-bytes-before-connect", "caller", [i(P), "out:"], "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    # Deadlines (section 7.5): PENDING does not extend the caller's.
    row("caller-handshake-timeout", "caller", ["connect", out(C_OUT), "timeout:9999", "out:", "timeout:10000",
                                               out(ab(11))],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("caller-timeout-while-deferred", "caller",
        ["connect", i(P + pending()), "timeout:9999", out(C_OUT), "timeout:10000", out(ab(11))],
        "CLOSED", ["Deferred", "Closed:ABORTED/TIMED_OUT"])
    row("caller-timeout-in-idle", "caller", ["timeout:10000", "out:"], "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("caller-end-of-stream-unanswered", "caller", ["connect", "eos", out(C_OUT)],
        "CLOSED", ["Closed:ABORTED/TRANSPORT_CLOSED"])
    row("caller-reset-unanswered", "caller", ["connect", "reset", out(C_OUT)],
        "CLOSED", ["Closed:RESET/TRANSPORT_RESET"])
    # Commands before OPEN (section 7.3): early messages go with connect, so a send in CONNECTING is refused.
    row("caller-commands-before-open", "caller",
        ["send:61!WSAENOTCONN", "disconnect:!WSAENOTCONN", "connect", "connect!WSAEISCONN", "send:61!WSAENOTCONN",
         "send:!WSAENOTCONN", "disconnect:!WSAENOTCONN", "accept!WSAENOTCONN", "defer:0!WSAENOTCONN", out(C_OUT)],
        "CONNECTING", [])
    row("caller-send-while-deferred-refused", "caller",
        ["connect", i(P + pending()), "send:61!WSAENOTCONN", out(C_OUT), i(ACC), "send:61", out(d_data(b"a"))],
        "OPEN", ["Deferred", "Accepted:"])
    # Early messages (section 4.6): declared in CONNECT (size + 4 each), sent right after it.
    nine = bytes(range(9))
    row("caller-early-messages-follow-connect", "caller",
        ["connect:6869/616263/" + hx(nine),
         out(d_preamble(), d_connect(early=early_length(b"abc", nine), data=b"hi"), d_data(b"abc"), d_sent(nine)),
         i(P + ACC), "send:78", out(d_data(b"x"))],
        "OPEN", ["Accepted:"])
    row("caller-early-empty-message", "caller",
        ["connect:/", out(d_preamble(), d_connect(early=4), d_data())], "CONNECTING", [])
    row("caller-early-messages-refused-with-the-request", "caller",
        ["connect:/61", i(P + reject(13)), out(d_preamble(), d_connect(early=5), d_data(b"a"))],
        "CLOSED", ["Closed:REFUSED/DATA_TOO_LARGE"])
    # The caller checks only the protocol maximum: caller data + early length at most 16 MiB (section 4.6).
    row("caller-connect-over-protocol-maximum", "caller",
        ["connect:[00*%d]!WSAEMSGSIZE" % (MAX_USER_DATA + 1),
         "connect:[00*%d]/!WSAEMSGSIZE" % (MAX_USER_DATA - EARLY_OVERHEAD + 1),
         "connect:/[00*%d]!WSAEMSGSIZE" % (MAX_USER_DATA - EARLY_OVERHEAD + 1),
         "connect:61/[00*%d]/!WSAEMSGSIZE" % (MAX_USER_DATA - 2 * EARLY_OVERHEAD),
         "out:", "state:IDLE", "connect:[00*%d]/" % (MAX_USER_DATA - EARLY_OVERHEAD)],
        "CONNECTING", [])
    # The reference split of caller data (section 4.5): the first frame filled to 65535 bytes of payload.
    fits = b"\x61" * (MAX_PAYLOAD - CONNECT_FIXED)
    row("caller-caller-data-fills-one-frame", "caller",
        ["connect:" + hx(fits), "out-hex:" + hx(P + connect(data=fits))], "CONNECTING", [])
    assert len(connect(data=fits)) == 4 + MAX_PAYLOAD
    over = fits + b"\x62"
    assert connect(data=over) == frame(0x01, 0, connect(data=over)[4:4 + MAX_PAYLOAD]) + cont(b"\x62")
    row("caller-caller-data-one-byte-in-continuation", "caller",
        ["connect:" + hx(over), "out-hex:" + hx(P + connect(data=over))], "CONNECTING", [])
    big = blocks(64 * KIB, 1000)
    row("caller-caller-data-64k", "caller",
        ["connect:" + hx(big), "out-hex:" + hx(P + connect(data=big)), i(P + ACC)], "OPEN", ["Accepted:"])
    three = blocks(2 * MAX_PAYLOAD + 1000, 1000)
    row("caller-caller-data-three-frames", "caller",
        ["connect:" + hx(three) + "/6869", "out-hex:" + hx(P + connect(early=6, data=three) + data(b"hi"))],
        "CONNECTING", [])

    # ---- caller: sending once OPEN
    row("caller-send-fragmented", "caller",
        ["connect", i(P + ACC), out(C_OUT), "send:" + hx(bytes(range(20))), out(d_sent(bytes(range(20))))],
        "OPEN", ["Accepted:"])
    row("caller-send-two-fragments-exactly", "caller",
        ["connect", i(P + ACC), out(C_OUT), "send:" + hx(bytes(range(8))), out(d_sent(bytes(range(8)))),
         "send:" + hx(bytes(range(9))), out(d_sent(bytes(range(9))))],
        "OPEN", ["Accepted:"])
    row("caller-send-empty-message", "caller", ["connect", i(P + ACC), out(C_OUT), "send:", out(d_data())], "OPEN",
        ["Accepted:"])
    row("caller-send-over-peer-limit", "caller",
        ["connect", i(P + accept(max_msg=4)), out(C_OUT), "send:" + hx(bytes(5)) + "!WSAEMSGSIZE",
         "send:" + hx(bytes(4)), out(d_data(bytes(4)))],
        "OPEN", ["Accepted:"])
    row("caller-disconnect-over-peer-limit", "caller",
        ["connect", i(P + accept(max_disc=2)), out(C_OUT), "disconnect:616263!WSAEMSGSIZE", "out:",
         "disconnect:6162", out(d_disconnect(b"ab"))],
        "SEND_CLOSED", ["Accepted:"])
    # A limit advertised above 16 MiB counts as 16 MiB (section 6).
    row("caller-peer-limit-above-hard-maximum", "caller",
        ["connect", i(P + accept(max_disc=NS)), out(C_OUT), "disconnect:[00*%d]!WSAEMSGSIZE" % (MAX_USER_DATA + 1),
         "state:OPEN"],
        "OPEN", ["Accepted:"])
    row("caller-disconnect-data-64k", "caller",
        ["connect", i(P + accept(max_disc=64 * KIB)), out(C_OUT), "disconnect:" + hx(big),
         "out-hex:" + hx(disconnect(big))],
        "SEND_CLOSED", ["Accepted:"])
    mib = blocks(MIB, 4099)
    row("caller-send-1mib-message", "caller fragment=65535",
        ["connect", i(P + accept(max_msg=MIB)), out(C_OUT), "send:" + hx(b"\xab" * (MIB + 1)) + "!WSAEMSGSIZE",
         "send:" + hx(mib), out(d_sent(mib, MAX_PAYLOAD))],
        "OPEN", ["Accepted:"])
    row("caller-receive-1mib-message", "caller maxMessageSize=1048576",
        ["connect", out(seq(d_preamble(), d_connect(max_msg=MIB))), i(P + ACC),
         i(sent(mib, MAX_PAYLOAD)), "out:"],
        "OPEN", ["Accepted:", "MessageReceived:" + hx(mib)])
    row("caller-receive-64k-callee-data", "caller maxCalleeData=65536",
        ["connect", out(seq(d_preamble(), d_connect(max_callee=64 * KIB))), i(P + accept(data=big)), "out:"],
        "OPEN", ["Accepted:" + hx(big)])
    row("caller-receive-64k-reason-data", "caller maxReasonData=65536",
        ["connect", i(P + reject(5, big)), out(d_preamble(), d_connect(max_reason=64 * KIB))],
        "CLOSED", ["Closed:REFUSED/DATA_NOT_SUPPORTED"])
    row("caller-reason-data-over-raised-limit", "caller maxReasonData=65536",
        ["connect", i(P + reject(5, big + b"!")[:4 + MAX_PAYLOAD]),
         out(d_preamble(), d_connect(max_reason=64 * KIB), ab(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("caller-callee-data-over-raised-limit", "caller maxCalleeData=65536",
        ["connect", i(P + accept(data=big + b"!")), out(d_preamble(), d_connect(max_callee=64 * KIB), ab(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])

    # ---- callee: the request
    row("callee-request", "callee", [i(REQ), out(d_preamble())], "REQUESTED", [REQ_EV])
    row("callee-preamble-answered-before-connect", "callee", [i(P), out(d_preamble())], "AWAITING_REQUEST", [])
    row("callee-request-split-bytes", "callee",
        [i(REQ[:3]), "out:", i(REQ[3:12]), out(d_preamble()), i(REQ[12:30]), "state:AWAITING_REQUEST", i(REQ[30:])],
        "REQUESTED", [REQ_EV])
    row("callee-accept", "callee", [i(REQ), "accept:77656c636f6d65", out(d_preamble(), d_accept(data=b"welcome"))],
        "OPEN", [REQ_EV])
    row("callee-reject", "callee", [i(REQ), "reject:QUEUE_FULL", out(d_preamble(), d_reject(2))],
        "CLOSED", [REQ_EV, "Closed:REFUSED/QUEUE_FULL"])
    row("callee-reject-with-reason-data", "callee", [i(REQ), "reject:REFUSED:62757379",
                                                     out(d_preamble(), d_reject(1, b"busy"))],
        "CLOSED", [REQ_EV, "Closed:REFUSED/REFUSED"])
    row("callee-reject-reason-data-over-caller-limit", "callee",
        [i(P + connect(max_reason=1024)), "reject:REFUSED:[72*1025]!WSAEMSGSIZE", out(d_preamble()),
         "reject:REFUSED:[72*1024]", out(d_reject(1, b"r" * 1024))],
        "CLOSED", ["ConnectRequested:", "Closed:REFUSED/REFUSED"])
    row("callee-reject-local-only-reason", "callee",
        [i(REQ), "reject:VERSION_UNSUPPORTED!WSAEINVAL", "reject:TRANSPORT_CLOSED!WSAEINVAL",
         "reject:TRANSPORT_RESET!WSAEINVAL", "reject:NOT_PARLEY!WSAEINVAL", "abort:TRANSPORT_CLOSED!WSAEINVAL",
         "abort:VERSION_UNSUPPORTED!WSAEINVAL", out(d_preamble())],
        "REQUESTED", [REQ_EV])
    row("callee-reject-reason-data-64k", "callee",
        [i(P + connect(max_reason=64 * KIB)), "reject:CONDITION_FAILED:" + hx(big),
         "out-hex:" + hx(P + reject(12, big))],
        "CLOSED", ["ConnectRequested:", "Closed:REFUSED/CONDITION_FAILED"])
    row("callee-accept-callee-data-64k", "callee",
        [i(P + connect(max_callee=64 * KIB)), "accept:" + hx(big), "out-hex:" + hx(P + accept(data=big))],
        "OPEN", ["ConnectRequested:"])
    row("callee-peer-limit-above-hard-maximum", "callee",
        [i(P + connect(max_callee=NS)), "accept:[00*%d]!WSAEMSGSIZE" % (MAX_USER_DATA + 1), out(d_preamble())],
        "REQUESTED", ["ConnectRequested:"])
    # Deferring (section 4.4): PENDING at once, then every second while deferred; a defer within the
    # interval of the last PENDING sends nothing more.
    row("callee-defer-pending-rate", "callee",
        [i(REQ), out(d_preamble()), "defer:0", out(D_PENDING), "defer:999", "out:", "defer:1000", out(D_PENDING),
         "defer:1500", "out:", "accept", out(d_accept())],
        "OPEN", [REQ_EV])
    row("callee-defer-pending-refresh", "callee",
        [i(REQ), out(d_preamble()), "defer:500", out(D_PENDING), "timeout:1499", "out:", "timeout:1500",
         out(D_PENDING), "timeout:2499", "out:", "timeout:2500", out(D_PENDING), "defer:2600", "out:",
         "timeout:3499", "out:", "timeout:3500", out(D_PENDING), "state:REQUESTED", "accept", out(d_accept()),
         "timeout:4500", "out:"],
        "OPEN", [REQ_EV])
    row("callee-deferred-request-outlives-handshake-deadline", "callee",
        [i(REQ), "defer:9500", "timeout:10000", out(d_preamble(), D_PENDING), "timeout:10500", out(D_PENDING),
         "reject:REFUSED", out(d_reject(1)), "timeout:11500", "out:"],
        "CLOSED", [REQ_EV, "Closed:REFUSED/REFUSED"])
    row("callee-no-pending-unless-deferred", "callee", [i(REQ), "timeout:1000", "timeout:60000", out(d_preamble())],
        "REQUESTED", [REQ_EV])
    # Caller data (with the early length) over the callee's limit: REJECT DATA_TOO_LARGE at the end of the
    # CONNECT frame, at its header when the part in the frame alone exceeds it (sections 4.6 and 6).
    row("callee-caller-data-over-limit", "callee", [i(P + connect(data=bytes(17))), out(d_preamble(), rj(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-caller-data-over-limit-declared", "callee",
        [i(P + connect(declared=17, data=b"abcd", split=[4])), out(d_preamble(), rj(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-caller-data-and-early-over-limit", "callee",
        [i(P + connect(early=12, data=b"alice")), out(d_preamble(), rj(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-caller-data-in-continuations", "callee",
        [i(P + connect(data=b"alice", split=[2, 3])[:-(4 + 3)]), out(d_preamble()), "state:AWAITING_REQUEST",
         i(cont(b"i") + cont(b"ce"))],
        "REQUESTED", [REQ_EV])
    row("callee-data-between-connect-and-continuation", "callee",
        [i(P + connect(data=b"alice", split=[2, 3])[:-(4 + 3)] + data(b"x")), out(d_preamble(), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-caller-withdraws-before-continuation", "callee",
        [i(P + connect(data=b"alice", split=[2, 3])[:-(4 + 3)] + abort(11)), out(d_preamble())],
        "CLOSED", ["Closed:RESET/WITHDRAWN"])
    row("callee-timeout-while-connect-incomplete", "callee",
        [i(P + connect(data=b"alice", split=[2, 3])[:-(4 + 3)]), "timeout:10000", out(d_preamble(), ab(6))],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    # Frames other than CONNECT before the request are violations (within their limits: a frame that is both
    # illegal and over a limit may be reported either way, section 7.2).
    row("callee-disconnect-before-request", "callee", [i(P + disconnect(b"x")), out(d_preamble(), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-accept-before-request", "callee", [i(P + accept()), out(d_preamble(), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-disconnect-ack-before-request", "callee", [i(P + disconnect_ack()), out(d_preamble(), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-data-before-connect", "callee", [i(P + data(b"x")), out(d_preamble(), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-message-size-before-request", "callee", [i(P + message_size(1)), out(d_preamble(), ab(7))],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    # Versions, strangers, deadlines.
    row("callee-version-too-old", "callee", [i(preamble(2, 2) + connect()), out(d_preamble())],
        "CLOSED", ["Closed:ABORTED/VERSION_UNSUPPORTED"])
    row("callee-version-overlap", "callee", [i(preamble(1, 9) + connect())], "REQUESTED", ["ConnectRequested:"])
    row("callee-not-parley-http", "callee", [i(b"GET / HTTP/1.1\r\n"), "out:"], "CLOSED", ["Closed:ABORTED/NOT_PARLEY"])
    row("callee-not-parley-tls", "callee", [i(bytes.fromhex("16030102000100")), "out:"],
        "CLOSED", ["Closed:ABORTED/NOT_PARLEY"])
    row("callee-timeout-after-preamble", "callee", [i(P), "timeout:10000", out(d_preamble(), ab(6))],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("callee-timeout-nothing-received", "callee",
        ["timeout:9999", "out:", "timeout:10000", out(d_preamble(), ab(6))],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("callee-caller-withdraws", "callee", [i(REQ + abort(11))], "CLOSED", [REQ_EV, "Closed:RESET/WITHDRAWN"])
    row("callee-end-of-stream-while-requested", "callee", [i(REQ), "eos", out(d_preamble())],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("callee-disconnect-while-requested", "callee", [i(REQ + disconnect()), out(d_preamble(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-disconnect-ack-while-requested", "callee", [i(REQ + disconnect_ack()), out(d_preamble(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-second-connect", "callee",
        [i(REQ), "accept", i(connect()), out(d_preamble(), d_accept(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-commands-before-open", "callee",
        ["accept!WSAENOTCONN", "reject:REFUSED!WSAENOTCONN", "defer:0!WSAENOTCONN", i(REQ), "send:61!WSAENOTCONN",
         "disconnect:!WSAENOTCONN", "connect!WSAEISCONN", out(d_preamble())],
        "REQUESTED", [REQ_EV])
    row("callee-decide-twice", "callee",
        [i(REQ), "accept", "accept!WSAENOTCONN", "reject:REFUSED!WSAENOTCONN", "defer:0!WSAENOTCONN"],
        "OPEN", [REQ_EV])
    row("callee-accept-data-over-caller-limit", "callee",
        [i(P + connect(max_callee=3)), "accept:61626364!WSAEMSGSIZE", out(d_preamble()), "accept:616263",
         out(d_accept(data=b"abc"))],
        "OPEN", ["ConnectRequested:"])
    row("callee-grant-qos-above-request", "callee",
        [i(P + connect(qos=(be(1000), be(1000)))), "accept-qos:1001!WSAEINVAL", out(d_preamble()),
         "accept-qos:1000", out(d_accept(qos=(be(1000), be(1000))))],
        "OPEN", ["ConnectRequested:"])
    row("callee-grant-qos-not-requested", "callee", [i(REQ), "accept-qos:1000!WSAEINVAL", out(d_preamble())],
        "REQUESTED", [REQ_EV])
    row("callee-caller-data-64k", "callee maxCallerData=65536",
        [i(P + connect(data=big)), out(d_preamble())], "REQUESTED", ["ConnectRequested:" + hx(big)])
    row("callee-caller-data-over-raised-limit", "callee maxCallerData=65536",
        [i(P + connect(data=big + b"!")[:4 + MAX_PAYLOAD]), out(d_preamble(), rj(13))],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])

    # ---- callee: early messages (section 4.6), charged size + 4 each against the declared early length
    row("callee-early-message", "callee",
        [i(P + connect(early=5, data=b"alice") + data(b"x")), out(d_preamble())],
        "REQUESTED", [REQ_EV, "MessageReceived:78"])
    assert 5 + early_length(b"ab", b"") == 15
    row("callee-early-messages-then-accept", "callee",
        [i(P + connect(early=early_length(b"ab", b""), data=b"alice") + data(b"ab") + data()), "accept",
         out(d_preamble(), d_accept()), i(data(bytes(16)))],
        "OPEN", [REQ_EV, "MessageReceived:6162", "MessageReceived:", "MessageReceived:" + hx(bytes(16))])
    row("callee-early-messages-at-limit", "callee",
        [i(P + connect(early=early_length(b"abcdefg"), data=b"alice") + data(b"abcdefg")), out(d_preamble())],
        "REQUESTED", [REQ_EV, "MessageReceived:61626364656667"])
    assert early_length(nine) == 13
    row("callee-early-fragmented-message", "callee",
        [i(P + connect(early=13) + message_size(9) + data(nine[:8], True) + data(nine[8:])), out(d_preamble())],
        "REQUESTED", ["ConnectRequested:", "MessageReceived:" + hx(nine)])
    row("callee-early-message-undeclared", "callee",
        [i(REQ + data(b"x")), out(d_preamble(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-early-messages-beyond-declared", "callee",
        [i(P + connect(early=5, data=b"alice") + data(b"x")), "state:REQUESTED", i(data()), out(d_preamble(), ab(7))],
        "CLOSED", [REQ_EV, "MessageReceived:78", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-early-fragment-beyond-declared", "callee",
        [i(P + connect(early=6) + data(b"a", True) + data(b"bc")[:4]), out(d_preamble(), ab(7))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-early-message-size-beyond-declared", "callee",
        [i(P + connect(early=10) + message_size(7)), out(d_preamble(), ab(7))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-early-message-size-undeclared", "callee",
        [i(REQ + message_size(0)), out(d_preamble(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    # Over the max message size: REJECT MESSAGE_TOO_LARGE, checked before the early length.
    row("callee-early-message-over-max-message", "callee",
        [i(P + connect(early=5) + data(bytes(33))[:4]), out(d_preamble(), rj(8))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("callee-early-message-over-max-message-within-declared", "callee maxCallerData=64",
        [i(P + connect(early=37) + data(bytes(33))[:4]), out(d_preamble(), rj(8))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("callee-early-fragments-over-max-message", "callee maxCallerData=64",
        [i(P + connect(early=37) + data(bytes(20), True) + data(bytes(13))[:4]), out(d_preamble(), rj(8))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("callee-early-message-size-over-max-message", "callee maxCallerData=64",
        [i(P + connect(early=37) + message_size(33)), out(d_preamble(), rj(8))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("callee-early-message-size-over-max-message-and-declared", "callee",
        [i(P + connect(early=5) + message_size(33)), out(d_preamble(), rj(8))],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("callee-early-message-then-reject", "callee",
        [i(P + connect(early=5, data=b"alice") + data(b"x")), "reject:REFUSED", out(d_preamble(), d_reject(1))],
        "CLOSED", [REQ_EV, "MessageReceived:78", "Closed:REFUSED/REFUSED"])
    row("callee-early-messages-while-deferred", "callee",
        [i(P + connect(early=12)), "defer:0", i(data(b"ab")), "defer:1000", i(data(b"xy")),
         out(d_preamble(), D_PENDING, D_PENDING), "accept", out(d_accept())],
        "OPEN", ["ConnectRequested:", "MessageReceived:6162", "MessageReceived:7879"])
    # Once the ACCEPT is sent, messages still in flight are ordinary: not charged.
    row("callee-early-messages-after-accept-not-charged", "callee",
        [i(P + connect(early=5)), "accept", i(data(b"x") + data(bytes(16)) + data()), out(d_preamble(), d_accept())],
        "OPEN", ["ConnectRequested:", "MessageReceived:78", "MessageReceived:" + hx(bytes(16)), "MessageReceived:"])

    # ---- an open connection (the callee after its ACCEPT) and the acknowledged end (sections 4.7, 4.8)
    OPENED = [i(REQ), "accept", out(d_preamble(), d_accept())]
    row("open-messages-and-graceful-close", "callee",
        OPENED + [i(data(b"he", True) + data(b"llo") + data() + disconnect(b"25")), out(D_ACK), "state:RECEIVE_CLOSED",
                  "send:6f6b", "disconnect:31303235", out(d_data(b"ok"), d_disconnect(b"1025")), "state:CLOSING",
                  i(disconnect_ack()), "out:"],
        "CLOSED", [REQ_EV, "MessageReceived:68656c6c6f", "MessageReceived:", "PeerDisconnected:3235",
                   "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-first-disconnecter", "callee",
        OPENED + ["disconnect:3235", out(d_disconnect(b"25")), "state:SEND_CLOSED", i(disconnect_ack()), "out:",
                  "state:SEND_CONFIRMED", i(data(b"x")), i(disconnect(b"1025")), out(D_ACK)],
        "CLOSED", [REQ_EV, "MessageReceived:78", "PeerDisconnected:31303235", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-last-disconnecter", "callee",
        OPENED + [i(disconnect(b"25")), out(D_ACK), "state:RECEIVE_CLOSED", "disconnect:31303235",
                  out(d_disconnect(b"1025")), "state:CLOSING", i(disconnect_ack()), "out:"],
        "CLOSED", [REQ_EV, "PeerDisconnected:3235", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-crossing-disconnects", "callee",
        OPENED + ["disconnect:61", "state:SEND_CLOSED", i(disconnect(b"b")), out(d_disconnect(b"a"), D_ACK),
                  "state:CLOSING", i(disconnect_ack()), "out:"],
        "CLOSED", [REQ_EV, "PeerDisconnected:62", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-ack-and-disconnect-together", "callee",
        OPENED + ["disconnect:", i(disconnect_ack() + disconnect(b"b")), out(d_disconnect(), D_ACK)],
        "CLOSED", [REQ_EV, "PeerDisconnected:62", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-caller-first-disconnecter", "caller",
        ["connect", i(P + ACC), "disconnect:3235", out(C_OUT, d_disconnect(b"25")), i(disconnect_ack()),
         "state:SEND_CONFIRMED", i(data(b"ok") + disconnect(b"1025")), out(D_ACK)],
        "CLOSED", ["Accepted:", "MessageReceived:6f6b", "PeerDisconnected:31303235", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-caller-last-disconnecter", "caller",
        ["connect", i(P + ACC + disconnect(b"t")), out(C_OUT, D_ACK), "send:78", "disconnect:",
         out(d_data(b"x"), d_disconnect()), "state:CLOSING", i(disconnect_ack())],
        "CLOSED", ["Accepted:", "PeerDisconnected:74", "Closed:GRACEFUL/UNSPECIFIED"])
    # The peer's DISCONNECT is acknowledged once it is whole (with its CONTINUATIONs).
    row("teardown-peer-disconnect-in-continuations", "callee",
        OPENED + [i(disconnect(b"goodbye", split=[3, 4])[:-(4 + 4)]), "out:", "state:OPEN", i(cont(b"db")), "out:",
                  i(cont() + cont(b"ye")), out(D_ACK)],
        "RECEIVE_CLOSED", [REQ_EV, "PeerDisconnected:676f6f64627965"])
    row("teardown-receive-64k-disconnect-data", "callee maxDisconnectData=65536",
        [i(REQ), "accept", out(d_preamble(), d_accept(max_disc=64 * KIB)), i(disconnect(big)), out(D_ACK)],
        "RECEIVE_CLOSED", [REQ_EV, "PeerDisconnected:" + hx(big)])
    huge = blocks(200800, 1000)  # a DISCONNECT and three CONTINUATIONs
    assert len(huge) > 3 * MAX_PAYLOAD - DISCONNECT_FIXED
    row("teardown-receive-disconnect-data-in-four-frames", "callee maxDisconnectData=262144",
        [i(REQ), "accept", out(d_preamble(), d_accept(max_disc=256 * KIB)), i(disconnect(huge)), out(D_ACK)],
        "RECEIVE_CLOSED", [REQ_EV, "PeerDisconnected:" + hx(huge)])
    row("teardown-disconnect-data-over-raised-limit", "callee maxDisconnectData=65536",
        [i(REQ), "accept", out(d_preamble(), d_accept(max_disc=64 * KIB)),
         i(disconnect(big + b"!")[:4 + MAX_PAYLOAD]), out(ab(13))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/DATA_TOO_LARGE"])
    row("open-disconnect-data-over-limit", "callee", OPENED + [i(disconnect(bytes(17))), out(ab(13))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/DATA_TOO_LARGE"])
    row("open-disconnect-data-over-limit-declared", "callee",
        OPENED + [i(disconnect(b"ab", declared=17, split=[2])), out(ab(13))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/DATA_TOO_LARGE"])
    # CLOSED flag (section 4.7): set only when closing before the peer's DISCONNECT arrived.
    row("teardown-close-sets-closed-flag", "callee",
        OPENED + ["close:3235", out(d_disconnect(b"25", True)), "state:SEND_CLOSED", i(disconnect_ack()),
                  "state:SEND_CONFIRMED", i(disconnect()), out(D_ACK)],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-close-after-peer-disconnect-no-closed-flag", "callee",
        OPENED + [i(disconnect(b"25")), out(D_ACK), "close:31303235", out(d_disconnect(b"1025")), "state:CLOSING",
                  i(disconnect_ack())],
        "CLOSED", [REQ_EV, "PeerDisconnected:3235", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-peer-closed-refuses-sends", "callee",
        OPENED + [i(disconnect(b"", True)), out(D_ACK), "send:61!WSAESHUTDOWN", "disconnect:", out(d_disconnect()),
                  "state:CLOSING", i(disconnect_ack())],
        "CLOSED", [REQ_EV, "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-caller-peer-closed", "caller",
        ["connect", i(P + ACC + disconnect(b"", True)), out(C_OUT, D_ACK), "send:61!WSAESHUTDOWN", "disconnect:",
         out(d_disconnect()), i(disconnect_ack())],
        "CLOSED", ["Accepted:", "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-crossing-closed-disconnects", "callee",
        OPENED + ["close:", i(disconnect(b"", True)), out(d_disconnect(b"", True), D_ACK), i(disconnect_ack())],
        "CLOSED", [REQ_EV, "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    # Commands in the teardown states (section 7.3).
    row("teardown-commands-refused", "callee",
        OPENED + ["disconnect:", "send:61!WSAESHUTDOWN", "disconnect:!WSAESHUTDOWN", "close:!WSAESHUTDOWN",
                  i(disconnect_ack()), "send:61!WSAESHUTDOWN", "disconnect:!WSAESHUTDOWN", i(data(b"x")),
                  i(disconnect()), out(d_disconnect(), D_ACK)],
        "CLOSED", [REQ_EV, "MessageReceived:78", "PeerDisconnected:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("teardown-closing-commands-refused", "callee",
        OPENED + [i(disconnect()), "send:61", "disconnect:", "send:62!WSAESHUTDOWN", "disconnect:!WSAESHUTDOWN",
                  "accept!WSAENOTCONN", out(D_ACK, d_data(b"a"), d_disconnect())],
        "CLOSING", [REQ_EV, "PeerDisconnected:"])
    row("closed-refuses-commands", "callee",
        OPENED + [i(disconnect()), "disconnect:", i(disconnect_ack()), "send:61!WSAESHUTDOWN",
                  "disconnect:!WSAESHUTDOWN", "accept!WSAESHUTDOWN", "abort:APPLICATION_ABORT", "out:" + seq(D_ACK,
                                                                                                   d_disconnect())],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("closed-ignores-inbound-bytes", "callee",
        OPENED + [i(disconnect()), "disconnect:", i(disconnect_ack() + disconnect_ack() + data(b"x") + b"junk"),
                  "eos", out(D_ACK, d_disconnect())],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:GRACEFUL/UNSPECIFIED"])
    # The unacknowledged end (sections 4.8, 7.4): unconfirmed in CLOSING, aborted before it.
    row("closing-end-of-stream-unconfirmed", "callee",
        OPENED + [i(disconnect(b"25")), "disconnect:31303235", "eos", out(D_ACK, d_disconnect(b"1025")),
                  "send:61!WSAECONNABORTED"],
        "CLOSED", [REQ_EV, "PeerDisconnected:3235", "Closed:UNCONFIRMED/TRANSPORT_CLOSED"])
    row("closing-reset-unconfirmed", "callee",
        OPENED + ["disconnect:", i(disconnect()), "state:CLOSING", "reset", out(d_disconnect(), D_ACK),
                  "send:61!WSAECONNRESET"],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:UNCONFIRMED/TRANSPORT_RESET"])
    row("closing-abort-linger-bound-unconfirmed", "callee",
        OPENED + [i(disconnect()), "disconnect:", "abort:TIMED_OUT", out(D_ACK, d_disconnect(), ab(6)),
                  "send:61!WSAETIMEDOUT"],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:UNCONFIRMED/TIMED_OUT"])
    row("closing-application-abort-unconfirmed", "caller",
        ["connect", i(P + ACC), "disconnect:", i(disconnect()), "abort:APPLICATION_ABORT",
         out(C_OUT, d_disconnect(), D_ACK, ab(9))],
        "CLOSED", ["Accepted:", "PeerDisconnected:", "Closed:UNCONFIRMED/APPLICATION_ABORT"])
    row("closing-peer-abort", "callee", OPENED + [i(disconnect()), "disconnect:", i(abort(9)), out(D_ACK, d_disconnect())],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:RESET/APPLICATION_ABORT"])
    row("closing-data-violation", "callee", OPENED + [i(disconnect()), "disconnect:", i(data(b"x")),
                                                      out(D_ACK, d_disconnect(), ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("send-closed-end-of-stream", "callee", OPENED + ["disconnect:", "eos"],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("send-confirmed-end-of-stream", "callee", OPENED + ["disconnect:", i(disconnect_ack()), "eos"],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("send-confirmed-reset", "callee", OPENED + ["disconnect:", i(disconnect_ack()), "reset"],
        "CLOSED", [REQ_EV, "Closed:RESET/TRANSPORT_RESET"])
    row("receive-closed-end-of-stream", "callee", OPENED + [i(disconnect(b"t")), "eos", "send:61!WSAECONNABORTED"],
        "CLOSED", [REQ_EV, "PeerDisconnected:74", "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("receive-closed-reset", "callee", OPENED + [i(disconnect()), "reset"],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:RESET/TRANSPORT_RESET"])
    # DISCONNECT_ACK only for this side's DISCONNECT, and only once (section 4.8).
    row("disconnect-ack-in-open", "callee", OPENED + [i(disconnect_ack()), out(ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("disconnect-ack-in-receive-closed", "callee", OPENED + [i(disconnect() + disconnect_ack()), out(D_ACK, ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("disconnect-ack-twice", "callee",
        OPENED + ["disconnect:", i(disconnect_ack()), "state:SEND_CONFIRMED", i(disconnect_ack()),
                  out(d_disconnect(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("disconnect-ack-with-payload", "callee", OPENED + ["disconnect:", i(disconnect_ack(b"x")),
                                                           out(d_disconnect(), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("disconnect-twice-from-peer", "callee", OPENED + [i(disconnect() + disconnect()), out(D_ACK, ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    # Messages and limits while open.
    row("open-local-disconnect-first", "callee",
        OPENED + ["disconnect:3235", "send:61!WSAESHUTDOWN", "disconnect:!WSAESHUTDOWN", i(data(b"x")),
                  i(disconnect(b"", True)), out(d_disconnect(b"25"), D_ACK), "state:CLOSING"],
        "CLOSING", [REQ_EV, "MessageReceived:78", "PeerDisconnected/closed:"])
    row("open-data-after-peer-disconnect", "callee", OPENED + [i(disconnect() + data(b"x")), out(D_ACK, ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-end-of-stream-without-disconnect", "callee", OPENED + [i(data(b"x")), "eos", "out:"],
        "CLOSED", [REQ_EV, "MessageReceived:78", "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("open-end-of-stream-mid-message", "callee", OPENED + [i(data(b"x", True)), "eos"],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("open-end-of-stream-mid-disconnect-data", "callee",
        OPENED + [i(disconnect(b"bye", split=[1, 2])[:-(4 + 2)]), "eos", "out:"],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("open-peer-abort", "callee", OPENED + [i(abort(9, b"bye")), "send:61!WSAECONNRESET", "out:"],
        "CLOSED", [REQ_EV, "Closed:RESET/APPLICATION_ABORT"])
    row("open-peer-abort-unknown-reason", "callee", OPENED + [i(abort(4242))], "CLOSED", [REQ_EV, "Closed:RESET/UNSPECIFIED"])
    row("open-local-abort", "callee",
        OPENED + ["abort:APPLICATION_ABORT", out(ab(9)), "abort:APPLICATION_ABORT", "out:", i(data(b"late"))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/APPLICATION_ABORT"])
    row("open-local-abort-in-send-confirmed", "callee",
        OPENED + ["disconnect:", i(disconnect_ack()), "abort:APPLICATION_ABORT", out(d_disconnect(), ab(9))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/APPLICATION_ABORT"])
    row("open-message-over-limit", "callee", OPENED + [i(data(bytes(16), True) + data(bytes(17))), out(ab(8))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("open-receive-1mib-message", "callee maxMessageSize=1048576",
        [i(REQ), "accept", out(d_preamble(), d_accept(max_msg=MIB)), i(sent(mib, MAX_PAYLOAD)),
         i(sent(mib, 4096)[:4 + 4 + 4096]), "state:OPEN", i(sent(mib, 4096)[4 + 4 + 4096:]), "out:"],
        "OPEN", [REQ_EV, "MessageReceived:" + hx(mib), "MessageReceived:" + hx(mib)])
    row("open-message-over-raised-limit", "callee maxMessageSize=1048576",
        [i(REQ), "accept", out(d_preamble(), d_accept(max_msg=MIB)),
         i(sent(mib + b"!", MAX_PAYLOAD)[4 + 4:]), out(ab(8))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("open-message-size-over-raised-limit", "callee maxMessageSize=1048576",
        [i(REQ), "accept", out(d_preamble(), d_accept(max_msg=MIB)), i(message_size(MIB + 1)), out(ab(8))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("open-message-size-then-fragments", "callee",
        OPENED + [i(message_size(5) + data(b"hel", True) + data(b"lo")), "out:"],
        "OPEN", [REQ_EV, "MessageReceived:68656c6c6f"])
    row("open-message-size-while-send-closed", "callee",
        OPENED + ["disconnect:", i(message_size(9) + data(bytes(8), True) + data(b"x")), out(d_disconnect())],
        "SEND_CLOSED", [REQ_EV, "MessageReceived:000000000000000078"])
    row("open-message-size-while-send-confirmed", "callee",
        OPENED + ["disconnect:", i(disconnect_ack() + message_size(9) + data(bytes(8), True) + data(b"x")),
                  out(d_disconnect())],
        "SEND_CONFIRMED", [REQ_EV, "MessageReceived:000000000000000078"])
    row("open-message-size-mismatch", "callee",
        OPENED + [i(message_size(6) + data(b"hel", True) + data(b"lo")), out(ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-message-size-over-limit", "callee", OPENED + [i(message_size(33)), out(ab(8))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("open-message-size-wrong-length", "callee", OPENED + [i(frame(0x81, 0, bytes(2))), out(ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-message-size-after-peer-disconnect", "callee",
        OPENED + [i(disconnect() + message_size(1)), out(D_ACK, ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-message-size-while-closing", "callee",
        OPENED + ["disconnect:", i(disconnect() + message_size(1)), out(d_disconnect(), D_ACK, ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    # 0x82 (CLOSE_SEEN in earlier drafts) is now an unknown extension: skipped everywhere (section 9).
    row("former-close-seen-skipped-while-connecting", "caller",
        ["connect", i(P + frame(0x82, 0, b"")), out(C_OUT), i(frame(0x82, 0, b"x") + ACC)],
        "OPEN", ["Accepted:"])
    row("former-close-seen-skipped-while-requested", "callee", [i(REQ + frame(0x82, 0, b"")), out(d_preamble())],
        "REQUESTED", [REQ_EV])
    row("former-close-seen-skipped-while-open", "callee",
        OPENED + [i(frame(0x82, 0, b"") + data(b"he", True) + frame(0x82, 0, b"") + data(b"llo")), "out:"],
        "OPEN", [REQ_EV, "MessageReceived:68656c6c6f"])
    row("former-close-seen-skipped-while-closing", "callee",
        OPENED + [i(disconnect(b"", True)), "disconnect:", i(frame(0x82, 0, b"")), "state:CLOSING",
                  i(disconnect_ack()), out(D_ACK, d_disconnect())],
        "CLOSED", [REQ_EV, "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])

    # ---- version 2, section 13: QoS renegotiation (engines speaking versions 1 to 2: "maxVersion=2")
    P2 = preamble(1, 2)
    Q = (be(500), be(500))
    C2 = "caller maxVersion=2"
    E2 = "callee maxVersion=2"
    C2_OPEN = ["connect", i(P2 + ACC), out(d_preamble(1, 2), d_connect())]
    E2_OPEN = [i(P2 + connect(data=b"alice")), "accept", out(d_preamble(1, 2), d_accept())]
    row("v2-caller-request-granted", C2,
        C2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(qos_answer(Q)), "state:OPEN", "out:"],
        "OPEN", ["Accepted:", "QosAnswered:granted"])
    row("v2-caller-request-refused", C2,
        C2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(qos_answer(reason=4))],
        "OPEN", ["Accepted:", "QosAnswered:refused/QOS_NOT_SUPPORTED"])
    row("v2-callee-grants-the-callers-request", E2,
        E2_OPEN + [i(qos_request(Q)), "grant-qos:500", out(d_qos_answer(Q))],
        "OPEN", [REQ_EV, "QosRequested"])
    row("v2-callee-refuses-the-callers-request", E2,
        E2_OPEN + [i(qos_request(Q)), "refuse-qos:REFUSED", out(d_qos_answer(reason=1))],
        "OPEN", [REQ_EV, "QosRequested"])
    row("v2-grant-above-the-request-refused", E2,
        E2_OPEN + [i(qos_request((be(100), be(100)))), "grant-qos:500!WSAEINVAL", "refuse-qos:REFUSED",
                   out(d_qos_answer(reason=1))],
        "OPEN", [REQ_EV, "QosRequested"])
    row("v2-answer-with-nothing-to-answer-refused", E2, E2_OPEN + ["grant-qos:500!WSAEINVAL"], "OPEN", [REQ_EV])
    row("v2-crossing-requests-callee-refuses-the-callers", E2,
        E2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(qos_request(Q)), out(d_qos_answer(reason=14)),
                   i(qos_answer(Q))],
        "OPEN", [REQ_EV, "QosAnswered:granted"])
    row("v2-crossing-requests-caller-answers-the-callees", C2,
        C2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(qos_request(Q)), "grant-qos:500",
                   out(d_qos_answer(Q)), i(qos_answer(reason=14))],
        "OPEN", ["Accepted:", "QosRequested", "QosAnswered:refused/QOS_COLLISION"])
    row("v2-one-request-at-a-time", C2,
        C2_OPEN + ["request-qos:500", "request-qos:500!WSAEALREADY", out(d_qos_request(Q))],
        "OPEN", ["Accepted:"])
    row("v2-no-request-after-disconnect", C2,
        C2_OPEN + ["disconnect:", "request-qos:500!WSAESHUTDOWN", out(d_disconnect())],
        "SEND_CLOSED", ["Accepted:"])
    row("v2-disconnect-refuses-an-undecided-request-first", E2,
        E2_OPEN + [i(qos_request(Q)), "disconnect:", out(d_qos_answer(reason=3), d_disconnect()),
                   "grant-qos:500!WSAEINVAL"],
        "SEND_CLOSED", [REQ_EV, "QosRequested"])
    row("v2-request-after-own-disconnect-ignored", E2,
        E2_OPEN + ["disconnect:", i(qos_request(Q)), out(d_disconnect()), "refuse-qos:REFUSED!WSAEINVAL"],
        "SEND_CLOSED", [REQ_EV])
    row("v2-peer-disconnect-refuses-own-request", C2,
        C2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(disconnect()), out(D_ACK)],
        "RECEIVE_CLOSED", ["Accepted:", "QosAnswered:refused/SHUTTING_DOWN", "PeerDisconnected:"])
    row("v2-answer-after-peer-disconnect", C2,
        C2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(disconnect() + qos_answer(Q)), out(D_ACK, ab(7))],
        "CLOSED", ["Accepted:", "QosAnswered:refused/SHUTTING_DOWN", "PeerDisconnected:",
                   "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-answer-in-receive-closed", E2,
        E2_OPEN + [i(qos_request(Q) + disconnect()), "grant-qos:500", out(D_ACK, d_qos_answer(Q))],
        "RECEIVE_CLOSED", [REQ_EV, "QosRequested", "PeerDisconnected:"])
    row("v2-callee-answers-before-it-asks", E2,
        E2_OPEN + [i(qos_request(Q)), "request-qos:500!WSAEALREADY", "grant-qos:500", "request-qos:500",
                   out(d_qos_answer(Q), d_qos_request(Q))],
        "OPEN", [REQ_EV, "QosRequested"])
    row("v2-qos-from-the-callers-point-of-view", E2,
        E2_OPEN + ["request-qos:100/200", out(d_qos_request((be(100), be(200))))], "OPEN", [REQ_EV])
    row("v2-qos-request-while-requested", E2,
        [i(P2 + connect(data=b"alice") + qos_request(Q)), out(d_preamble(1, 2), ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-second-request-before-the-answer", E2,
        E2_OPEN + [i(qos_request(Q) + qos_request(Q)), out(ab(7))],
        "CLOSED", [REQ_EV, "QosRequested", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-request-after-peer-disconnect", E2,
        E2_OPEN + [i(disconnect() + qos_request(Q)), out(D_ACK, ab(7))],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-answer-to-no-request", C2, C2_OPEN + [i(qos_answer(Q)), out(ab(7))],
        "CLOSED", ["Accepted:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-grant-above-own-request", C2,
        C2_OPEN + ["request-qos:500", out(d_qos_request(Q)), i(qos_answer((be(900), be(500)))), out(ab(7))],
        "CLOSED", ["Accepted:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-caller-with-a-version-1-callee", C2,
        ["connect", i(P + ACC), out(d_preamble(1, 2), d_connect()), "request-qos:500!WSAEOPNOTSUPP",
         i(qos_request(Q)), out(ab(7))],
        "CLOSED", ["Accepted:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-callee-with-a-version-1-caller", E2,
        [i(REQ), "accept", out(d_preamble(1, 2), d_accept()), i(qos_answer(reason=1)), out(ab(7))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("v2-accept-names-the-groups-kind", E2,
        [i(P2 + connect(data=b"alice", group=(2, 0, 1))), "accept-group:UNCONSTRAINED:5:1",
         out(d_preamble(1, 2), d_accept(group=(2, 5, 1)))],
        "OPEN", [REQ_EV])
    row("v2-accept-to-a-version-1-caller-has-no-kind", E2,
        [i(P + connect(data=b"alice", group=(2, 0, 1))), "accept-group:UNCONSTRAINED:5:1",
         out(d_preamble(1, 2), d_accept(group=(5, 1)))],
        "OPEN", [REQ_EV])
    row("v2-accept-group-needs-the-groups-kind", E2,
        [i(P2 + connect(data=b"alice", group=(1, 5, 1))), "accept-group:JOIN:5:1!WSAEINVAL",
         out(d_preamble(1, 2))],
        "REQUESTED", [REQ_EV])
    row("v2-caller-learns-the-groups-kind", C2,
        ["connect", i(P2 + accept(group=(3, 5, 2))), out(d_preamble(1, 2), d_connect())],
        "OPEN", ["Accepted:"])
    row("v1-engine-with-a-version-2-peer", "caller",
        ["connect", i(P2 + ACC), out(C_OUT), i(qos_request(Q)), out(ab(7))],
        "CLOSED", ["Accepted:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    return rows


# ------------------------------------------------------------------------------------------ reference-scenario.tsv

def scenario_rows():
    """The worked example of section 10: the reference scenario between two engines with the default
    configuration (4 MiB messages, 4 KiB callee, disconnect and reason data)."""
    mib4, kib4 = 4 * MIB, 4 * KIB
    return [
        ("1", "client", "preamble", hx(preamble()), "versions 1..1"),
        ("1", "client", "CONNECT", hx(connect(mib4, kib4, kib4, kib4, 0, data=b"alice")),
         "limits 4 MiB / 4 KiB / 4 KiB / 4 KiB, no early messages, caller data \"alice\""),
        ("2", "server", "preamble", hx(preamble()), "versions 1..1: version 1 chosen"),
        ("2", "server", "ACCEPT", hx(accept(mib4, kib4, data=b"welcome")),
         "limits 4 MiB / 4 KiB, callee data \"welcome\""),
        ("3", "client", "DATA", hx(data(b"deposit 25")), "one message, one fragment"),
        ("4", "server", "DATA", hx(data(b"ok")), "one message"),
        ("5", "client", "DISCONNECT", hx(disconnect(b"25")), "WSASendDisconnect with the client's total: SEND_CLOSED"),
        ("6", "server", "DISCONNECT_ACK", hx(disconnect_ack()),
         "the server read the client's DISCONNECT: RECEIVE_CLOSED; the client is SEND_CONFIRMED"),
        ("7", "server", "DISCONNECT", hx(disconnect(b"1025")),
         "WSASendDisconnect with the grand total, then closesocket (no CLOSED: the client's DISCONNECT arrived): "
         "CLOSING"),
        ("8", "client", "DISCONNECT_ACK", hx(disconnect_ack()),
         "the client read the server's DISCONNECT: both end gracefully"),
    ]


# ------------------------------------------------------------------------------------------ headers

HEX_NOTE = """\
# HEX is lower-case hex, two digits per byte, possibly empty; [XX*N] inside it stands for the byte XX
# repeated N times (N decimal), and this file writes every run of 64 or more equal bytes that way
# (e.g. 0102[00*100]03 is 01 02, a hundred 00 bytes, then 03). Byte indices count the expanded bytes.
"""

FRAMES_HEADER = """\
# Parley protocol frame vectors, versions 1 and 2 (docs/protocol.md). Generated by generate.py; edit that, not this file.
# Decoder limits: maxCallerData=16 maxCalleeData=16 maxDisconnectData=16 maxReasonData=1024 maxMessageSize=32
# (maxCallerData bounds the caller data length plus the early length, section 4.6.)
# Columns (tab-separated): name, input, hex, expect, canonical
""" + HEX_NOTE + """\
#   input     stream: hex is the start of a byte stream, preamble included
#             frames: hex follows the preamble 8f5041524c45590a0101, which the reader feeds first
#             frames-v2: hex follows the preamble 8f5041524c45590a0102 and is read in version 2, as after
#                   preambles that agreed on it (section 13): QOS_REQUEST and QOS_ANSWER are known types
#   expect    the frames decoded from hex, in order, separated by " | ", each as
#               PREAMBLE min=N max=N
#               CONNECT maxMessage=N maxCalleeData=N maxDisconnectData=N maxReasonData=N early=N [qos=S;R]
#                       [group=KIND:ID:PRIORITY] data=HEX       (KIND: NONE, JOIN, UNCONSTRAINED, CONSTRAINED)
#               ACCEPT maxMessage=N maxDisconnectData=N [qos=S;R] [group=ID:PRIORITY] data=HEX
#                       (version 2: [group=KIND:ID:PRIORITY], the group's kind UNCONSTRAINED or CONSTRAINED)
#               REJECT reason=CODE/NAME data=HEX
#               PENDING
#               DATA more=0|1 data=HEX
#               MESSAGE_SIZE size=N
#               DISCONNECT closed=0|1 data=HEX
#               DISCONNECT_ACK
#               ABORT reason=CODE/NAME data=HEX
#               QOS_REQUEST qos=S;R                              (version 2)
#               QOS_ANSWER granted=1 qos=S;R | QOS_ANSWER granted=0 reason=CODE/NAME   (version 2)
#             N is the field's value as sent (u32 fields up to 4294967295), except that maxCalleeData,
#             maxDisconnectData and maxReasonData above 16777216 are written 16777216: an advertised
#             user-data limit above the hard maximum is not an error and counts as 16 MiB (section 6).
#             (maxMessage is always as sent.) CODE is the u16 as sent; NAME is its reason code name, or
#             UNSPECIFIED for a code that is unknown or local-only (section 8).
#             data=HEX of CONNECT, ACCEPT, REJECT and DISCONNECT is the whole user data: a frame whose user
#             data continues in CONTINUATION frames is listed once, complete, when its last CONTINUATION has
#             been decoded; a CONTINUATION is never listed on its own.
#             S and R are flow specs: TokenRate,TokenBucketSize,PeakBandwidth,Latency,DelayVariation,
#             ServiceType,MaxSduSize,MinimumPolicedSize; "-" is QOS_NOT_SPECIFIED; ServiceType is its name
#             (NO_TRAFFIC, BEST_EFFORT, CONTROLLED_LOAD, GUARANTEED, NETWORK_UNAVAILABLE, GENERAL_INFORMATION,
#             NO_CHANGE, NON_CONFORMING, NETWORK_CONTROL, QUALITATIVE), with "+0x" and the flag bits (8 hex
#             digits) when the top byte is not zero.
#             The list may end with "error=REASON at=N": the decoder reports REASON (a reason code name:
#             NOT_PARLEY, PROTOCOL_VIOLATION, DATA_TOO_LARGE or MESSAGE_TOO_LARGE) when it has been fed the
#             byte at index N of hex (0-based), not before, and decodes nothing after it; or with "partial":
#             the bytes end inside a frame (or the preamble), or while user data announced by a frame is
#             still outstanding (its CONTINUATIONs have not all arrived).
#   canonical yes: encoding the decoded frames again (user data split as the reference sender splits it:
#             the first frame filled up to 65535 bytes of payload, then CONTINUATIONs of up to 65535)
#             gives hex back exactly
"""

ENGINE_HEADER = """\
# Parley protocol engine vectors, versions 1 and 2 (docs/protocol.md, "State machine" and section 13).
# Generated by generate.py.
# Unless its role column says otherwise, each engine advertises (and enforces) the receive limits
# maxCallerData=16 maxCalleeData=16 maxDisconnectData=16 maxReasonData=1024 maxMessageSize=32, sends
# fragments of at most 8 bytes, and has a handshake deadline at t=10000 ms (the clock starts at 0).
# Columns (tab-separated): name, role, script, expect
#   role: caller or callee, optionally followed by space-separated overrides of the defaults above:
#         maxCallerData=N maxCalleeData=N maxDisconnectData=N maxReasonData=N maxMessageSize=N fragment=N
#         maxVersion=N (the highest version the engine speaks and puts in its preamble; default 1)
""" + HEX_NOTE + """\
# script: steps separated by " ; ", run in order on a fresh engine:
#   connect[:HEX[/E1[/E2...]]]  caller: connect, no QoS, no group, caller data HEX (default empty), and the
#                         early messages E1, E2... (each HEX, possibly empty): "connect:/" has no caller
#                         data and one empty early message; "connect" and "connect:" have no early messages
#   connect-qos:RATE      caller: connect requesting best-effort QoS both ways (token rate RATE, bucket 1000,
#                         everything else not specified), no group, no caller data, no early messages
#   accept[:HEX]          callee: accept with callee data HEX, no QoS, no group
#   accept-qos:RATE       callee: accept granting that same best-effort QoS with token rate RATE both ways
#   accept-group:KIND:ID:PRIORITY  callee: accept with that group (KIND: JOIN, UNCONSTRAINED, CONSTRAINED)
#   reject:REASON[:HEX]   callee: reject with that reason code name and reason data HEX (default empty)
#   defer:MS              callee: defer at time MS
#   send:HEX              send one message
#   disconnect:HEX        send DISCONNECT with that data (the application does not close)
#   close:HEX             send DISCONNECT with that data as part of closing (closesocket: the engine sets
#                         the CLOSED flag unless the peer's DISCONNECT has arrived)
#   abort:REASON          abort with that reason code name
#   request-qos:RATE[/R]  ask for a new QoS (version 2): best effort both ways, bucket 1000, token rate RATE
#                         (the caller's sending direction; R, if given, for the callee's sending direction)
#   grant-qos:RATE        grant the peer's QoS request with best effort both ways, token rate RATE, bucket 1000
#   refuse-qos:REASON     refuse the peer's QoS request with that reason code name
#   in:HEX                the transport delivers these bytes (in one call)
#   eos                   the transport's inbound direction ends (FIN)
#   reset                 the transport is reset (RST)
#   timeout:MS            the time is now MS
#   state:STATE           the engine is now in that state
#   out:FRAMES            the bytes the engine produced since the previous out or out-hex step decode to
#                         FRAMES, in the frames.tsv notation ("out:" alone means nothing); ABORT is written
#                         without its data (its text is free), and so is a REJECT the engine made itself
#                         (one the script commanded is written with data=HEX)
#   out-hex:HEX           the bytes the engine produced since the previous out or out-hex step are exactly HEX
#   STEP!WSAEXXX          the command is refused with that Winsock error and changes nothing: same state,
#                         no output, no event
# expect: the final state and every event, in order: ConnectRequested:HEX (caller data), Accepted:HEX
#   (callee data), Deferred, MessageReceived:HEX, PeerDisconnected[/closed]:HEX (disconnect data; /closed
#   when the DISCONNECT had the CLOSED flag), QosRequested, QosAnswered:granted or
#   QosAnswered:refused/REASON (version 2), Closed:KIND/REASON (KIND: GRACEFUL, UNCONFIRMED, REFUSED,
#   RESET, ABORTED; REASON a reason code name, UNSPECIFIED for a graceful end)
"""

SCENARIO_HEADER = """\
# The reference scenario (docs/protocol.md, section 10 "Worked example"), frame by frame. Generated by
# generate.py. Both engines use the default configuration (4 MiB messages; 4 KiB caller, callee,
# disconnect and reason data).
# Columns (tab-separated): step, sender (client = caller, server = callee), frame, hex, meaning
# A step's frames are written in the order of its rows; hex is plain lower-case hex.
"""


# ------------------------------------------------------------------------------------------ self-checks

def check_frames_rows(rows):
    """Re-reads every frames.tsv row with the small decoder below, written from the same sections, as a
    guard against slips in the hand-written expectations (e.g. a byte index off by one)."""
    for name, kind, h, expect, _ in rows:
        raw = unhex(h)
        version = 2 if kind == "frames-v2" else 1
        if kind != "stream":
            raw = preamble(1, version) + raw
        got = decode(raw, kind != "stream", version)
        assert got == expect, "%s:\n  expected %s\n  decoded  %s" % (name, expect, got)


class Violation(Exception):
    def __init__(self, reason, at):
        super().__init__(reason)
        self.reason, self.at = reason, at


def decode(raw, skip_preamble, version=1):
    """A byte-at-a-time decoder for the self-check (sections 3, 4, 6, 9 and, in VERSION 2, 13; decoder limits
    LIMITS)."""
    items = []
    try:
        for item in _decode(raw, version):
            items.append(item)
    except Violation as v:
        items.append(err(v.reason, v.at - (10 if skip_preamble else 0)))
    if skip_preamble:
        assert items[0] == d_preamble(1, version), items
        items = items[1:]
    return seq(*items)


def _decode(raw, version):
    n = len(raw)
    for k in range(min(n, 8)):
        if raw[k] != MAGIC[k]:
            raise Violation("NOT_PARLEY", k)
    if n < 10:
        yield "partial"
        return
    yield d_preamble(raw[8], raw[9])
    pos = 10
    pending_user = None  # (description builder, data so far, declared length)
    in_message = False
    announced = None  # a MESSAGE_SIZE awaiting its message (size, fragments so far)
    message_total = 0
    while pos < n:
        if pos + 4 > n:
            yield "partial"
            return
        ftype, flags, length = struct.unpack(">BBH", raw[pos:pos + 4])
        header_at, end_at = pos + 3, pos + 3 + length
        payload = raw[pos + 4:pos + 4 + length]
        complete = len(payload) == length

        def header_check():
            # section 4.5: between a frame and the end of its user data
            if pending_user is not None and ftype not in (0x05, 0x21) and not (ftype >= 0x80 and ftype != 0x81):
                raise Violation("PROTOCOL_VIOLATION", header_at)
            if in_message and ftype not in (0x10, 0x21) and not (ftype >= 0x80 and ftype != 0x81):
                raise Violation("PROTOCOL_VIOLATION", header_at)
            if announced is not None and announced[1] is None and ftype not in (0x10, 0x21) and \
                    not (ftype >= 0x80 and ftype != 0x81):
                raise Violation("PROTOCOL_VIOLATION", header_at)

        header_check()
        if ftype == 0x05:
            if pending_user is None or length > pending_user[2] - len(pending_user[1]):
                raise Violation("PROTOCOL_VIOLATION", header_at)
        elif ftype in (0x01, 0x02, 0x03, 0x20):
            fixed = {0x01: 24 + (64 if flags & 1 else 0) + (7 if flags & 2 else 0),
                     0x02: 12 + (64 if flags & 1 else 0) + ((7 if version >= 2 else 6) if flags & 2 else 0),
                     0x03: 6, 0x20: 4}[ftype]
            limit = {0x01: LIMITS["maxCallerData"], 0x02: LIMITS["maxCalleeData"], 0x03: LIMITS["maxReasonData"],
                     0x20: LIMITS["maxDisconnectData"]}[ftype]
            if length < fixed:
                raise Violation("PROTOCOL_VIOLATION", header_at)
            if length - fixed > limit:
                raise Violation("DATA_TOO_LARGE", header_at)
        elif ftype == 0x10:
            total = (message_total if in_message else 0) + length
            if total > LIMITS["maxMessageSize"]:
                raise Violation("MESSAGE_TOO_LARGE", header_at)
            if announced is not None:
                so_far = (announced[1] or 0) + length
                if so_far > announced[0] or (not flags & 1 and so_far != announced[0]):
                    raise Violation("PROTOCOL_VIOLATION", header_at)
        elif ftype == 0x81:
            if length != 4 or in_message or announced is not None:
                raise Violation("PROTOCOL_VIOLATION", header_at)
        elif ftype == 0x21:
            if length < 2 or length > 1026:
                raise Violation("PROTOCOL_VIOLATION", header_at)
        elif ftype == 0x22:
            if length != 0:
                raise Violation("PROTOCOL_VIOLATION", header_at)
        elif ftype in (0x30, 0x31) and version >= 2:
            if length != (64 if ftype == 0x30 or flags & 1 else 2):
                raise Violation("PROTOCOL_VIOLATION", header_at)
        elif ftype == 0x04 or ftype >= 0x80:
            pass
        else:
            raise Violation("PROTOCOL_VIOLATION", header_at)
        if not complete:
            yield "partial"
            return
        pos += 4 + length
        if ftype == 0x05:
            builder, got, declared = pending_user
            got = got + payload
            pending_user = (builder, got, declared)
            if len(got) == declared:
                pending_user = None
                yield builder(got)
        elif ftype in (0x01, 0x02, 0x03, 0x20):
            b = payload
            if ftype == 0x01:
                max_msg, max_callee, max_disc, max_reason, early, declared = struct.unpack(">6I", b[:24])
                off, qos, group = 24, None, None
                if flags & 1:
                    qos = (b[off:off + 32], b[off + 32:off + 64])
                    off += 64
                if flags & 2:
                    group = struct.unpack(">BIH", b[off:off + 7])
                    off += 7
                for fs in qos or ():
                    st = struct.unpack(">I", fs[20:24])[0]
                    if st != NS and (st & 0xFFFFFF) not in SERVICE:
                        raise Violation("PROTOCOL_VIOLATION", end_at)
                if group and group[0] not in GROUP_KIND or max_reason < 1024:
                    raise Violation("PROTOCOL_VIOLATION", end_at)
                if len(b) - off > declared:
                    raise Violation("PROTOCOL_VIOLATION", end_at)
                if declared + early > LIMITS["maxCallerData"]:
                    raise Violation("DATA_TOO_LARGE", end_at)
                builder = (lambda mm, mc, md, mr, e, q, g: lambda d: d_connect(mm, mc, md, mr, e, q, g, d))(
                    max_msg, max_callee, max_disc, max_reason, early, qos, group)
            elif ftype == 0x02:
                max_msg, max_disc, declared = struct.unpack(">3I", b[:12])
                off, qos, group = 12, None, None
                if flags & 1:
                    qos = (b[off:off + 32], b[off + 32:off + 64])
                    off += 64
                if flags & 2 and version >= 2:
                    group = struct.unpack(">BIH", b[off:off + 7])
                    off += 7
                    if group[0] not in (2, 3):
                        raise Violation("PROTOCOL_VIOLATION", end_at)
                elif flags & 2:
                    group = struct.unpack(">IH", b[off:off + 6])
                    off += 6
                for fs in qos or ():
                    st = struct.unpack(">I", fs[20:24])[0]
                    if st != NS and (st & 0xFFFFFF) not in SERVICE:
                        raise Violation("PROTOCOL_VIOLATION", end_at)
                if len(b) - off > declared:
                    raise Violation("PROTOCOL_VIOLATION", end_at)
                if declared > LIMITS["maxCalleeData"]:
                    raise Violation("DATA_TOO_LARGE", end_at)
                builder = (lambda mm, md, q, g: lambda d: d_accept(mm, md, q, g, d))(max_msg, max_disc, qos, group)
            elif ftype == 0x03:
                code, declared = struct.unpack(">HI", b[:6])
                off = 6
                if len(b) - off > declared:
                    raise Violation("PROTOCOL_VIOLATION", end_at)
                if declared > LIMITS["maxReasonData"]:
                    raise Violation("DATA_TOO_LARGE", end_at)
                builder = (lambda c: lambda d: d_reject(c, d))(code)
            else:
                declared = struct.unpack(">I", b[:4])[0]
                off = 4
                if len(b) - off > declared:
                    raise Violation("PROTOCOL_VIOLATION", end_at)
                if declared > LIMITS["maxDisconnectData"]:
                    raise Violation("DATA_TOO_LARGE", end_at)
                builder = (lambda c: lambda d: d_disconnect(d, c))(bool(flags & 1))
            part = b[off:]
            if len(part) == declared:
                yield builder(part)
            else:
                pending_user = (builder, part, declared)
        elif ftype == 0x10:
            more = bool(flags & 1)
            message_total = (message_total if in_message else 0) + length
            in_message = more
            if announced is not None:
                announced = None if not more else (announced[0], (announced[1] or 0) + length)
            yield d_data(payload, more)
        elif ftype == 0x81:
            size = struct.unpack(">I", payload)[0]
            if size > LIMITS["maxMessageSize"]:
                raise Violation("MESSAGE_TOO_LARGE", end_at)
            announced = (size, None)
            yield d_message_size(size)
        elif ftype == 0x21:
            yield d_abort(struct.unpack(">H", payload[:2])[0], payload[2:])
        elif ftype == 0x22:
            yield D_ACK
        elif ftype in (0x30, 0x31):
            if length == 64:
                qos = (payload[:32], payload[32:])
                for fs in qos:
                    st = struct.unpack(">I", fs[20:24])[0]
                    if st != NS and (st & 0xFFFFFF) not in SERVICE:
                        raise Violation("PROTOCOL_VIOLATION", end_at)
                yield d_qos_request(qos) if ftype == 0x30 else d_qos_answer(qos)
            else:
                yield d_qos_answer(reason=struct.unpack(">H", payload)[0])
        elif ftype == 0x04:
            yield D_PENDING
    if pending_user is not None:
        yield "partial"


def check_scenario(rows):
    """The worked example in docs/protocol.md shows the same bytes (a warning only: the document is the
    authority, and a mismatch means one of the two must be corrected)."""
    path = os.path.join(HERE, "..", "protocol.md")
    try:
        with open(path, encoding="utf-8") as f:
            spec = re.sub(r"\s+", "", f.read()).lower()
    except OSError:
        return
    for step, sender, name, h, _ in rows:
        if h not in spec:
            print("warning: docs/protocol.md does not show step %s %s %s (%s)" % (step, sender, name, h),
                  file=sys.stderr)


# ------------------------------------------------------------------------------------------ writing

def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        for r in rows:
            assert all("\t" not in c and "\n" not in c for c in r), r
            out.write("\t".join(r) + "\n")


if __name__ == "__main__":
    frames = frame_rows()
    check_frames_rows(frames)
    scenario = scenario_rows()
    check_scenario(scenario)
    write("frames.tsv", FRAMES_HEADER, frames)
    write("engine.tsv", ENGINE_HEADER, engine_rows())
    write("reference-scenario.tsv", SCENARIO_HEADER, scenario)
