#!/usr/bin/env python3
"""Writes frames.tsv and engine.tsv, the Parley protocol v1 test vectors.

This is a second, independent encoder written from docs/protocol.md alone (it shares no code with the
Java implementation), so the vectors check the Java codec against the specification rather than against
itself. Run it from any directory: python3 docs/vectors/generate.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = bytes([0x8F]) + b"PARLEY\n"
NS = 0xFFFFFFFF  # QOS_NOT_SPECIFIED

# Limits the frame vectors are decoded with (and the engine vectors' engines advertise).
LIMITS = dict(maxCallerData=16, maxCalleeData=16, maxDisconnectData=16, maxMessageSize=32)

SERVICE = {0x0: "NO_TRAFFIC", 0x1: "BEST_EFFORT", 0x2: "CONTROLLED_LOAD", 0x3: "GUARANTEED",
           0x4: "NETWORK_UNAVAILABLE", 0x5: "GENERAL_INFORMATION", 0x6: "NO_CHANGE", 0x9: "NON_CONFORMING",
           0xA: "NETWORK_CONTROL", 0xD: "QUALITATIVE"}
REASON = {0: "UNSPECIFIED", 1: "REFUSED", 2: "QUEUE_FULL", 3: "SHUTTING_DOWN", 4: "QOS_NOT_SUPPORTED",
          5: "DATA_NOT_SUPPORTED", 6: "TIMED_OUT", 7: "PROTOCOL_VIOLATION", 8: "MESSAGE_TOO_LARGE",
          9: "APPLICATION_ABORT", 10: "VERSION_UNSUPPORTED", 11: "WITHDRAWN", 12: "CONDITION_FAILED",
          13: "DATA_TOO_LARGE"}
GROUP_KIND = {0: "NONE", 1: "JOIN", 2: "UNCONSTRAINED", 3: "CONSTRAINED"}
CODE = {name: code for code, name in REASON.items()}


# ------------------------------------------------------------------------------------------ encoding

def preamble(lo=1, hi=1):
    return MAGIC + bytes([lo, hi])


def frame(ftype, flags, payload):
    return struct.pack(">BBH", ftype, flags, len(payload)) + payload


def flowspec(rate=NS, bucket=NS, peak=NS, latency=NS, delay_var=NS, service=NS, max_sdu=NS, min_policed=NS):
    return struct.pack(">8I", rate, bucket, peak, latency, delay_var, service, max_sdu, min_policed)


def connect(max_msg=32, max_callee=16, max_disc=16, qos=None, group=None, data=b"", flags=None):
    f = (0x01 if qos else 0) | (0x02 if group else 0)
    body = struct.pack(">IHH", max_msg, max_callee, max_disc)
    if qos:
        body += qos[0] + qos[1]
    if group:
        body += struct.pack(">BIH", *group)
    return frame(0x01, f if flags is None else flags, body + data)


def accept(max_msg=32, max_disc=16, qos=None, group=None, data=b"", flags=None):
    f = (0x01 if qos else 0) | (0x02 if group else 0)
    body = struct.pack(">IH", max_msg, max_disc)
    if qos:
        body += qos[0] + qos[1]
    if group:
        body += struct.pack(">IH", *group)
    return frame(0x02, f if flags is None else flags, body + data)


def reject(reason, data=b""):
    return frame(0x03, 0, struct.pack(">H", reason) + data)


def pending(payload=b""):
    return frame(0x04, 0, payload)


def data(payload=b"", more=False):
    return frame(0x10, 0x01 if more else 0, payload)


def message_size(size):
    return frame(0x81, 0, struct.pack(">I", size))


def close_seen():
    return frame(0x82, 0, b"")


def disconnect(payload=b"", closed=False):
    return frame(0x20, 0x01 if closed else 0, payload)


def abort(reason, payload=b""):
    return frame(0x21, 0, struct.pack(">H", reason) + payload)


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


def d_connect(max_msg=32, max_callee=16, max_disc=16, qos=None, group=None, data=b""):
    g = " group=%s:%d:%d" % (GROUP_KIND[group[0]], group[1], group[2]) if group else ""
    return "CONNECT maxMessage=%d maxCalleeData=%d maxDisconnectData=%d%s%s data=%s" % (
        max_msg, max_callee, max_disc, describe_qos(qos), g, data.hex())


def d_accept(max_msg=32, max_disc=16, qos=None, group=None, data=b""):
    g = " group=%d:%d" % group if group else ""
    return "ACCEPT maxMessage=%d maxDisconnectData=%d%s%s data=%s" % (max_msg, max_disc, describe_qos(qos), g,
                                                                     data.hex())


def d_reason(name, code, payload, with_data=True):
    text = "%s reason=%d/%s" % (name, code, REASON.get(code, "UNSPECIFIED"))
    return text + (" data=" + payload.hex() if with_data else "")


def d_reject(reason, payload=b""):
    return d_reason("REJECT", reason, payload)


def d_abort(reason, payload=b""):
    return d_reason("ABORT", reason, payload)


def d_data(payload=b"", more=False):
    return "DATA more=%d data=%s" % (int(more), payload.hex())


def d_message_size(size):
    return "MESSAGE_SIZE size=%d" % size


def d_sent(message, fragment=8):
    """How a sender frames one message in fragments of at most FRAGMENT bytes: MESSAGE_SIZE first when the
    message needs more than one DATA frame (section 4.9), then the DATA frames."""
    parts = [message[i:i + fragment] for i in range(0, len(message), fragment)] or [b""]
    items = [d_message_size(len(message))] if len(parts) > 1 else []
    return " | ".join(items + [d_data(part, i < len(parts) - 1) for i, part in enumerate(parts)])


D_CLOSE_SEEN = "CLOSE_SEEN"

# Section 4.5: what each early message costs, beyond its size, against the callee's caller-data limit, and
# the protocol's maximum caller data, which bounds caller data and early messages together at the caller.
EARLY_OVERHEAD = 4
MAX_USER_DATA = 61440


def early_cost(caller_data, *messages):
    """What a callee charges to its caller-data limit for a request and its early messages."""
    return len(caller_data) + sum(len(m) + EARLY_OVERHEAD for m in messages)


def d_disconnect(payload=b"", closed=False):
    return "DISCONNECT closed=%d data=%s" % (int(closed), payload.hex())


def err(reason, at):
    return "error=%s at=%d" % (reason, at)


# ------------------------------------------------------------------------------------------ frames.tsv

QOS_SIMPLE = (flowspec(rate=1000, bucket=2000, service=0x1), flowspec())
QOS_FULL = (flowspec(125000, 4096, 250000, 20000, 5000, 0x3 | 0x40000000, 1500, 64),
            flowspec(0, 0, 0, NS, NS, 0x0 | 0x81000000, 0, 0))
QOS_FULL_TEXT = "125000,4096,250000,20000,5000,GUARANTEED+0x40000000,1500,64;0,0,0,-,-,NO_TRAFFIC+0x81000000,0,0"


def frame_rows():
    rows = []

    def row(name, kind, raw, expect, canonical):
        rows.append((name, kind, raw.hex(), expect, "yes" if canonical else "no"))

    def ok(name, raw, expect, canonical=True):
        row(name, "frames", raw, expect, canonical)

    def bad(name, raw, expect):
        row(name, "frames", raw, expect, False)

    # The preamble (input "stream": the bytes are the very start of a stream).
    row("preamble-v1", "stream", preamble(), d_preamble(), True)
    row("preamble-range-1-3", "stream", preamble(1, 3), d_preamble(1, 3), True)
    row("preamble-then-data", "stream", preamble() + data(b"hi"), d_preamble() + " | " + d_data(b"hi"), True)
    row("not-parley-http", "stream", b"GET / HTTP/1.1\r\nHost: example\r\n\r\n", err("NOT_PARLEY", 0), False)
    row("not-parley-tls-client-hello", "stream", bytes.fromhex("160301020001 0001fc0303"),
        err("NOT_PARLEY", 0), False)
    row("not-parley-ssh", "stream", b"SSH-2.0-OpenSSH_9.6\r\n", err("NOT_PARLEY", 0), False)
    row("not-parley-magic-byte-3", "stream", MAGIC[:3] + b"X" + MAGIC[4:] + b"\x01\x01", err("NOT_PARLEY", 3), False)
    row("not-parley-crlf-mangled", "stream", MAGIC[:7] + b"\r\n\x01\x01", err("NOT_PARLEY", 7), False)
    row("preamble-incomplete", "stream", MAGIC[:5], "partial", False)

    # CONNECT
    ok("connect-minimal", connect(), d_connect())
    ok("connect-caller-data", connect(data=b"alice"), d_connect(data=b"alice"))
    ok("connect-caller-data-at-limit", connect(data=bytes(range(16))), d_connect(data=bytes(range(16))))
    ok("connect-large-limits", connect(0xFFFFFFFF, 0xFFFF, 0xFFFF),
       d_connect(0xFFFFFFFF, 0xFFFF, 0xFFFF))
    ok("connect-qos", connect(qos=QOS_SIMPLE, data=b"alice"),
       d_connect(qos=QOS_SIMPLE, data=b"alice"))
    row("connect-qos-all-fields", "frames", connect(qos=QOS_FULL),
        "CONNECT maxMessage=32 maxCalleeData=16 maxDisconnectData=16 qos=%s data=" % QOS_FULL_TEXT, True)
    for kind in (0, 1, 2, 3):
        g = (kind, 0x01020304 if kind == 1 else 0, 7)
        ok("connect-group-" + GROUP_KIND[kind].lower(), connect(group=g), d_connect(group=g))
    g = (1, 0xFFFFFFFF, 0xFFFF)
    ok("connect-qos-group-data", connect(qos=QOS_SIMPLE, group=g, data=b"alice"),
       d_connect(qos=QOS_SIMPLE, group=g, data=b"alice"))
    ok("connect-qos-group-data-at-limit", connect(qos=QOS_SIMPLE, group=g, data=b"x" * 16),
       d_connect(qos=QOS_SIMPLE, group=g, data=b"x" * 16))
    ok("connect-unknown-flags-ignored", connect(data=b"a", flags=0xFC), d_connect(data=b"a"), canonical=False)
    bad("connect-shorter-than-fixed", frame(0x01, 0, bytes(7)), err("PROTOCOL_VIOLATION", 3))
    bad("connect-empty", frame(0x01, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("connect-qos-flag-too-short", frame(0x01, 0x01, bytes(8 + 63)), err("PROTOCOL_VIOLATION", 3))
    bad("connect-group-flag-too-short", frame(0x01, 0x02, bytes(8 + 6)), err("PROTOCOL_VIOLATION", 3))
    bad("connect-qos-group-too-short", frame(0x01, 0x03, bytes(8 + 64 + 6)), err("PROTOCOL_VIOLATION", 3))
    raw = connect(qos=(flowspec(service=0x7), flowspec()))
    bad("connect-unknown-service-type", raw, err("PROTOCOL_VIOLATION", len(raw) - 1))
    raw = connect(qos=(flowspec(), flowspec(service=0x4000000B)))
    bad("connect-unknown-service-type-with-flags", raw, err("PROTOCOL_VIOLATION", len(raw) - 1))
    raw = connect(qos=(flowspec(service=0x00FFFFFF), flowspec()))
    bad("connect-service-type-low-bits-all-ones", raw, err("PROTOCOL_VIOLATION", len(raw) - 1))
    raw = connect(group=(4, 0, 0), data=b"a")
    bad("connect-unknown-group-kind", raw, err("PROTOCOL_VIOLATION", len(raw) - 1))
    bad("connect-caller-data-over-limit", connect(data=bytes(17)), err("DATA_TOO_LARGE", 3))
    bad("connect-qos-group-caller-data-over-limit", connect(qos=QOS_SIMPLE, group=g, data=bytes(17)),
        err("DATA_TOO_LARGE", 3))

    # ACCEPT
    ok("accept-minimal", accept(), d_accept())
    ok("accept-callee-data", accept(data=b"welcome"), d_accept(data=b"welcome"))
    ok("accept-qos", accept(qos=QOS_SIMPLE), d_accept(qos=QOS_SIMPLE))
    ok("accept-group", accept(group=(0x01020304, 2)), d_accept(group=(0x01020304, 2)))
    ok("accept-qos-group-data", accept(qos=QOS_SIMPLE, group=(9, 0), data=b"hi"),
       d_accept(qos=QOS_SIMPLE, group=(9, 0), data=b"hi"))
    ok("accept-unknown-flags-ignored", accept(flags=0x80), d_accept(), canonical=False)
    bad("accept-shorter-than-fixed", frame(0x02, 0, bytes(5)), err("PROTOCOL_VIOLATION", 3))
    bad("accept-group-flag-too-short", frame(0x02, 0x02, bytes(6 + 5)), err("PROTOCOL_VIOLATION", 3))
    raw = accept(qos=(flowspec(), flowspec(service=0x8)))
    bad("accept-unknown-service-type", raw, err("PROTOCOL_VIOLATION", len(raw) - 1))
    bad("accept-callee-data-over-limit", accept(data=bytes(17)), err("DATA_TOO_LARGE", 3))

    # REJECT, PENDING, ABORT
    ok("reject-no-data", reject(1), d_reject(1))
    ok("reject-text", reject(2, b"queue full"), d_reject(2, b"queue full"))
    ok("reject-unknown-reason-code", reject(999, b"?"), d_reject(999, b"?"), canonical=True)
    ok("reject-local-only-code-on-wire", reject(256), d_reject(256), canonical=True)
    text = (b"0123456789abcdef" * 64)
    ok("reject-reason-data-1024", reject(1, text), d_reject(1, text))
    bad("reject-reason-data-1025", reject(1, text + b"!"), err("PROTOCOL_VIOLATION", 3))
    bad("reject-too-short", frame(0x03, 0, b"\x00"), err("PROTOCOL_VIOLATION", 3))
    ok("pending", pending(), "PENDING")
    ok("pending-payload-ignored", pending(b"future"), "PENDING", canonical=False)
    ok("abort-no-data", abort(9), d_abort(9))
    ok("abort-text", abort(7, b"bad frame"), d_abort(7, b"bad frame"))
    bad("abort-reason-data-1025", abort(7, text + b"!"), err("PROTOCOL_VIOLATION", 3))
    bad("abort-empty", frame(0x21, 0, b""), err("PROTOCOL_VIOLATION", 3))

    # DATA
    ok("data-empty-message", data(), d_data())
    ok("data-one-frame", data(b"hello"), d_data(b"hello"))
    ok("data-two-messages", data(b"a") + data(b"b"), d_data(b"a") + " | " + d_data(b"b"))
    ok("data-fragments", data(b"hel", True) + data(b"lo"), d_data(b"hel", True) + " | " + d_data(b"lo"))
    ok("data-empty-last-fragment", data(b"abc", True) + data(), d_data(b"abc", True) + " | " + d_data())
    ok("data-message-at-limit-3-fragments", data(b"a" * 12, True) + data(b"b" * 12, True) + data(b"c" * 8),
       " | ".join([d_data(b"a" * 12, True), d_data(b"b" * 12, True), d_data(b"c" * 8)]))
    ok("data-limit-applies-per-message", data(b"a" * 32) + data(b"b" * 32),
       d_data(b"a" * 32) + " | " + d_data(b"b" * 32))
    ok("data-unknown-flags-ignored", frame(0x10, 0xFE, b"x"), d_data(b"x"), canonical=False)
    bad("data-over-limit-one-frame", data(bytes(33)), err("MESSAGE_TOO_LARGE", 3))
    first = data(bytes(20), True)
    bad("data-over-limit-across-fragments", first + data(bytes(13)),
        d_data(bytes(20), True) + " | " + err("MESSAGE_TOO_LARGE", len(first) + 3))
    ok("data-abort-between-fragments", data(b"ab", True) + abort(9),
       d_data(b"ab", True) + " | " + d_abort(9))
    first = data(b"ab", True)
    bad("data-disconnect-between-fragments", first + disconnect(b"t"),
        d_data(b"ab", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    bad("data-connect-between-fragments", first + connect(),
        d_data(b"ab", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    bad("data-pending-between-fragments", first + pending(),
        d_data(b"ab", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    first = data(b"", True)
    bad("data-empty-fragment-then-disconnect", first + disconnect(),
        d_data(b"", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    ok("data-incomplete", data(b"hello")[:6], "partial", canonical=False)

    # MESSAGE_SIZE (an ignorable extension that this version knows: section 4.9)
    ok("message-size", message_size(5), d_message_size(5))
    ok("message-size-then-fragments", message_size(5) + data(b"hel", True) + data(b"lo"),
       " | ".join([d_message_size(5), d_data(b"hel", True), d_data(b"lo")]))
    ok("message-size-at-limit", message_size(32) + data(b"a" * 16, True) + data(b"b" * 16),
       " | ".join([d_message_size(32), d_data(b"a" * 16, True), d_data(b"b" * 16)]))
    ok("message-size-one-frame-message", message_size(2) + data(b"hi"), d_message_size(2) + " | " + d_data(b"hi"))
    ok("message-size-zero-empty-fragments", message_size(0) + data(b"", True) + data(),
       " | ".join([d_message_size(0), d_data(b"", True), d_data()]))
    ok("message-size-covers-one-message", message_size(2) + data(b"hi") + data(b"abc"),
       " | ".join([d_message_size(2), d_data(b"hi"), d_data(b"abc")]))
    ok("message-size-then-abort", message_size(5) + abort(9), d_message_size(5) + " | " + d_abort(9))
    ok("message-size-unknown-extension-before-first-fragment",
       message_size(2) + frame(0x90, 0, b"z") + data(b"h", True) + data(b"i"),
       " | ".join([d_message_size(2), d_data(b"h", True), d_data(b"i")]), canonical=False)
    ok("message-size-unknown-flags-ignored", frame(0x81, 0xFF, struct.pack(">I", 1)) + data(b"x"),
       d_message_size(1) + " | " + d_data(b"x"), canonical=False)
    bad("message-size-length-3", frame(0x81, 0, bytes(3)), err("PROTOCOL_VIOLATION", 3))
    bad("message-size-length-5", frame(0x81, 0, bytes(5)), err("PROTOCOL_VIOLATION", 3))
    bad("message-size-empty", frame(0x81, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("message-size-over-limit", message_size(33), err("MESSAGE_TOO_LARGE", 7))
    bad("message-size-u32-max", message_size(0xFFFFFFFF), err("MESSAGE_TOO_LARGE", 7))
    first = message_size(4) + data(b"abc", True)
    bad("message-size-fragments-exceed-it", first + data(b"de"),
        d_message_size(4) + " | " + d_data(b"abc", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    first = message_size(6) + data(b"abc", True)
    bad("message-size-fragments-fall-short", first + data(b"de"),
        d_message_size(6) + " | " + d_data(b"abc", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    bad("message-size-one-frame-message-short", message_size(3) + data(b"hi"),
        d_message_size(3) + " | " + err("PROTOCOL_VIOLATION", 8 + 3))
    bad("message-size-one-frame-message-long", message_size(1) + data(b"hi"),
        d_message_size(1) + " | " + err("PROTOCOL_VIOLATION", 8 + 3))
    bad("message-size-twice", message_size(4) + message_size(4),
        d_message_size(4) + " | " + err("PROTOCOL_VIOLATION", 8 + 3))
    bad("message-size-then-disconnect", message_size(4) + disconnect(),
        d_message_size(4) + " | " + err("PROTOCOL_VIOLATION", 8 + 3))
    first = data(b"ab", True)
    bad("message-size-between-fragments", first + message_size(4),
        d_data(b"ab", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))

    # CLOSE_SEEN (an ignorable extension that this version knows: section 4.10)
    ok("close-seen", close_seen(), D_CLOSE_SEEN)
    ok("close-seen-unknown-flags-ignored", frame(0x82, 0xFF, b""), D_CLOSE_SEEN, canonical=False)
    ok("close-seen-between-fragments", data(b"ab", True) + close_seen() + data(b"cd"),
       " | ".join([d_data(b"ab", True), D_CLOSE_SEEN, d_data(b"cd")]))
    ok("close-seen-after-message-size", message_size(2) + close_seen() + data(b"hi"),
       " | ".join([d_message_size(2), D_CLOSE_SEEN, d_data(b"hi")]))
    ok("close-seen-twice", close_seen() + close_seen(), D_CLOSE_SEEN + " | " + D_CLOSE_SEEN)
    bad("close-seen-with-payload", frame(0x82, 0, b"x"), err("PROTOCOL_VIOLATION", 3))
    bad("close-seen-huge-declared-length", struct.pack(">BBH", 0x82, 0, 0xFFFF), err("PROTOCOL_VIOLATION", 3))
    first = data(b"ab", True)
    bad("close-seen-with-payload-between-fragments", first + frame(0x82, 0, b"xy"),
        d_data(b"ab", True) + " | " + err("PROTOCOL_VIOLATION", len(first) + 3))
    row("close-seen-before-preamble", "stream", close_seen() + preamble(), err("NOT_PARLEY", 0), False)

    # DISCONNECT
    ok("disconnect-empty", disconnect(), d_disconnect())
    ok("disconnect-data", disconnect(b"total=25"), d_disconnect(b"total=25"))
    ok("disconnect-closed", disconnect(b"1025", True), d_disconnect(b"1025", True))
    ok("disconnect-at-limit", disconnect(bytes(16)), d_disconnect(bytes(16)))
    bad("disconnect-over-limit", disconnect(bytes(17)), err("DATA_TOO_LARGE", 3))
    bad("disconnect-huge-declared-length", struct.pack(">BBH", 0x20, 0, 0xFFFF), err("DATA_TOO_LARGE", 3))

    # Extension rules
    ok("unknown-type-0x80-skipped", frame(0x80, 0, b"abc") + data(b"hi"), d_data(b"hi"), canonical=False)
    ok("unknown-type-0xff-empty-skipped", frame(0xFF, 0xFF, b"") + data(b"hi"), d_data(b"hi"), canonical=False)
    ok("unknown-type-large-skipped", frame(0xC3, 0, bytes(300)) + disconnect(), d_disconnect(), canonical=False)
    ok("unknown-type-between-fragments-skipped", data(b"ab", True) + frame(0x90, 0, b"zz") + data(b"cd"),
       d_data(b"ab", True) + " | " + d_data(b"cd"), canonical=False)
    bad("unknown-type-0x05", frame(0x05, 0, b""), err("PROTOCOL_VIOLATION", 3))
    bad("unknown-type-0x00", frame(0x00, 0, b"ab"), err("PROTOCOL_VIOLATION", 3))
    bad("unknown-type-0x7f", frame(0x7F, 0, bytes(10)), err("PROTOCOL_VIOLATION", 3))
    bad("unknown-type-after-valid-frame", data(b"ok") + frame(0x11, 0, b""),
        d_data(b"ok") + " | " + err("PROTOCOL_VIOLATION", len(data(b"ok")) + 3))
    return rows


# ------------------------------------------------------------------------------------------ engine.tsv

def be(rate):
    """A best-effort flow spec with token rate RATE and bucket 1000, the rest not specified."""
    return flowspec(rate=rate, bucket=1000, service=0x1)


def hx(raw):
    return raw.hex()


def engine_rows():
    P = preamble()
    C_OUT = d_preamble() + " | " + d_connect()
    ACC = accept()
    REQ = P + connect(data=b"alice")
    rows = []

    def row(name, role, steps, state, events):
        rows.append((name, role, " ; ".join(steps), "state=%s events=%s" % (state, ",".join(events))))

    def ab(code):
        return d_reason("ABORT", code, b"", with_data=False)

    def rj(code):
        return d_reason("REJECT", code, b"", with_data=False)

    # Caller
    row("caller-accepted", "caller", ["connect", "out:" + C_OUT, "in:" + hx(P + ACC), "out:"], "OPEN",
        ["Accepted:"])
    row("caller-accepted-with-data-and-group", "caller",
        ["connect:616c696365", "in:" + hx(P + accept(group=(5, 1), data=b"hi")),
         "out:" + d_preamble() + " | " + d_connect(data=b"alice")],
        "OPEN", ["Accepted:6869"])
    row("caller-granted-qos-within-request", "caller",
        ["connect-qos:1000", "out:" + d_preamble() + " | " + d_connect(qos=(be(1000), be(1000))),
         "in:" + hx(P + accept(qos=(be(500), be(1000))))],
        "OPEN", ["Accepted:"])
    row("caller-granted-qos-above-request", "caller",
        ["connect-qos:1000", "in:" + hx(P + accept(qos=(be(1000), be(1001)))),
         "out:" + d_preamble() + " | " + d_connect(qos=(be(1000), be(1000))) + " | " + ab(7)],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-pending-then-accept", "caller",
        ["connect", "in:" + hx(P + pending()), "in:" + hx(pending(b"x") + ACC)], "OPEN",
        ["Deferred", "Deferred", "Accepted:"])
    row("caller-rejected", "caller", ["connect", "in:" + hx(P + reject(1, b"busy")), "out:" + C_OUT],
        "CLOSED", ["Closed:REFUSED/REFUSED"])
    row("caller-rejected-data-too-large", "caller", ["connect", "in:" + hx(P + reject(13))],
        "CLOSED", ["Closed:REFUSED/DATA_TOO_LARGE"])
    row("caller-aborted-by-callee", "caller", ["connect", "in:" + hx(P + abort(6))],
        "CLOSED", ["Closed:RESET/TIMED_OUT"])
    row("caller-data-before-accept", "caller",
        ["connect", "out:" + C_OUT, "in:" + hx(P + data(b"x")), "out:" + ab(7)],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-connect-frame-from-callee", "caller",
        ["connect", "out:" + C_OUT, "in:" + hx(P + connect()), "out:" + ab(7)],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-callee-data-over-limit", "caller",
        ["connect", "out:" + C_OUT, "in:" + hx(P + accept(data=bytes(17))), "out:" + ab(13)],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("caller-granted-qos-not-requested", "caller",
        ["connect", "out:" + C_OUT, "in:" + hx(P + accept(qos=(flowspec(service=1), flowspec()))), "out:" + ab(7)],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("caller-version-too-new", "caller", ["connect", "out:" + C_OUT, "in:" + hx(preamble(2, 3)), "out:"],
        "CLOSED", ["Closed:REFUSED/VERSION_UNSUPPORTED"])
    row("caller-version-overlap", "caller", ["connect", "in:" + hx(preamble(0, 7) + ACC)], "OPEN", ["Accepted:"])
    row("caller-not-parley", "caller", ["connect", "out:" + C_OUT, "in:" + hx(b"HTTP/1.1 400 Bad Request\r\n"), "out:"],
        "CLOSED", ["Closed:ABORTED/NOT_PARLEY"])
    row("caller-handshake-timeout", "caller", ["connect", "out:" + C_OUT, "timeout:10000", "out:" + ab(11)],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("caller-timeout-while-deferred", "caller",
        ["connect", "in:" + hx(P + pending()), "timeout:9999", "out:" + C_OUT, "timeout:10000", "out:" + ab(11)],
        "CLOSED", ["Deferred", "Closed:ABORTED/TIMED_OUT"])
    row("caller-end-of-stream-unanswered", "caller", ["connect", "eos", "out:" + C_OUT],
        "CLOSED", ["Closed:ABORTED/TRANSPORT_CLOSED"])
    # Sending is legal from CONNECTING on (early messages, section 4.5); a DISCONNECT still needs OPEN.
    row("caller-commands-before-open", "caller",
        ["send:61!WSAENOTCONN", "disconnect:!WSAENOTCONN", "connect", "connect!WSAEISCONN",
         "disconnect:!WSAENOTCONN", "accept!WSAENOTCONN", "out:" + C_OUT],
        "CONNECTING", [])
    nine = bytes(range(9))
    row("caller-early-messages-follow-connect", "caller",
        ["connect:6869", "send:616263", "send:" + hx(nine),
         "out:" + d_preamble() + " | " + d_connect(data=b"hi") + " | " + d_data(b"abc") + " | " + d_sent(nine),
         "in:" + hx(P + ACC), "send:78", "out:" + d_data(b"x")],
        "OPEN", ["Accepted:"])
    biggest = MAX_USER_DATA - EARLY_OVERHEAD
    row("caller-early-send-over-protocol-maximum", "caller",
        ["connect", "send-zeros:%d!WSAEMSGSIZE" % (biggest + 1), "send-zeros:%d" % biggest, "send:!WSAEMSGSIZE"],
        "CONNECTING", [])
    row("caller-early-send-while-deferred", "caller",
        ["connect", "in:" + hx(P + pending()), "send:61", "out:" + C_OUT + " | " + d_data(b"a"), "in:" + hx(ACC)],
        "OPEN", ["Deferred", "Accepted:"])
    row("caller-early-messages-refused-with-the-request", "caller",
        ["connect", "send:61", "in:" + hx(P + reject(13)), "out:" + C_OUT + " | " + d_data(b"a")],
        "CLOSED", ["Closed:REFUSED/DATA_TOO_LARGE"])
    row("caller-send-fragmented", "caller",
        ["connect", "in:" + hx(P + ACC), "out:" + C_OUT, "send:" + hx(bytes(range(20))),
         "out:" + d_sent(bytes(range(20)))],
        "OPEN", ["Accepted:"])
    row("caller-send-two-fragments-exactly", "caller",
        ["connect", "in:" + hx(P + ACC), "out:" + C_OUT, "send:" + hx(bytes(range(8))), "out:" + d_sent(bytes(range(8))),
         "send:" + hx(bytes(range(9))), "out:" + d_sent(bytes(range(9)))],
        "OPEN", ["Accepted:"])
    row("caller-send-empty-message", "caller",
        ["connect", "in:" + hx(P + ACC), "out:" + C_OUT, "send:", "out:" + d_data()], "OPEN", ["Accepted:"])
    row("caller-send-over-peer-limit", "caller",
        ["connect", "in:" + hx(P + accept(max_msg=4)), "out:" + C_OUT, "send:" + hx(bytes(5)) + "!WSAEMSGSIZE",
         "send:" + hx(bytes(4)), "out:" + d_data(bytes(4))],
        "OPEN", ["Accepted:"])
    row("caller-disconnect-over-peer-limit", "caller",
        ["connect", "in:" + hx(P + accept(max_disc=2)), "out:" + C_OUT, "disconnect:616263!WSAEMSGSIZE", "out:"],
        "OPEN", ["Accepted:"])

    # Callee
    row("callee-request", "callee", ["in:" + hx(REQ), "out:" + d_preamble()], "REQUESTED",
        ["ConnectRequested:616c696365"])
    row("callee-preamble-answered-before-connect", "callee", ["in:" + hx(P), "out:" + d_preamble()],
        "AWAITING_REQUEST", [])
    row("callee-request-split-bytes", "callee",
        ["in:" + hx(REQ[:3]), "out:", "in:" + hx(REQ[3:12]), "out:" + d_preamble(), "in:" + hx(REQ[12:])],
        "REQUESTED", ["ConnectRequested:616c696365"])
    row("callee-accept", "callee",
        ["in:" + hx(REQ), "accept:77656c636f6d65",
         "out:" + d_preamble() + " | " + d_accept(data=b"welcome")], "OPEN", ["ConnectRequested:616c696365"])
    row("callee-reject", "callee",
        ["in:" + hx(REQ), "reject:QUEUE_FULL", "out:" + d_preamble() + " | " + rj(2)],
        "CLOSED", ["ConnectRequested:616c696365", "Closed:REFUSED/QUEUE_FULL"])
    row("callee-defer-pending-rate", "callee",
        ["in:" + hx(REQ), "out:" + d_preamble(), "defer:0", "out:PENDING", "defer:999", "out:", "defer:1000",
         "out:PENDING", "defer:1500", "out:", "accept", "out:" + d_accept()],
        "OPEN", ["ConnectRequested:616c696365"])
    row("callee-caller-data-over-limit", "callee",
        ["in:" + hx(P + connect(data=bytes(17))), "out:" + d_preamble() + " | " + rj(13)],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    # Only caller data over the limit is a refusal (the caller could not know the limit); any other frame
    # over its limit before the request is a violation: ABORT DATA_TOO_LARGE, never a REJECT (found in review for issue 6; the engine fuzz audit now checks it).
    row("callee-disconnect-over-limit-before-request", "callee",
        ["in:" + hx(P + disconnect(bytes(17))), "out:" + d_preamble() + " | " + ab(13)],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-accept-over-limit-before-request", "callee",
        ["in:" + hx(P + accept(data=bytes(17))), "out:" + d_preamble() + " | " + ab(13)],
        "CLOSED", ["Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-version-too-old", "callee", ["in:" + hx(preamble(2, 2) + connect()), "out:" + d_preamble()],
        "CLOSED", ["Closed:ABORTED/VERSION_UNSUPPORTED"])
    row("callee-version-overlap", "callee", ["in:" + hx(preamble(1, 9) + connect())], "REQUESTED",
        ["ConnectRequested:"])
    row("callee-not-parley-http", "callee", ["in:" + hx(b"GET / HTTP/1.1\r\n"), "out:"],
        "CLOSED", ["Closed:ABORTED/NOT_PARLEY"])
    row("callee-not-parley-tls", "callee", ["in:" + hx(bytes.fromhex("16030102000100")), "out:"],
        "CLOSED", ["Closed:ABORTED/NOT_PARLEY"])
    row("callee-timeout-after-preamble", "callee",
        ["in:" + hx(P), "timeout:10000", "out:" + d_preamble() + " | " + ab(6)],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("callee-timeout-nothing-received", "callee",
        ["timeout:9999", "out:", "timeout:10000", "out:" + d_preamble() + " | " + ab(6)],
        "CLOSED", ["Closed:ABORTED/TIMED_OUT"])
    row("callee-no-timeout-once-requested", "callee",
        ["in:" + hx(REQ), "timeout:60000", "out:" + d_preamble()],
        "REQUESTED", ["ConnectRequested:616c696365"])
    row("callee-caller-withdraws", "callee", ["in:" + hx(REQ + abort(11))],
        "CLOSED", ["ConnectRequested:616c696365", "Closed:RESET/WITHDRAWN"])
    # Early messages (section 4.5): legal in REQUESTED, reported after the request, charged with the caller
    # data to the callee's caller-data limit (16 here) until it accepts.
    assert early_cost(b"alice", b"x") <= LIMITS["maxCallerData"]
    row("callee-data-while-requested", "callee",
        ["in:" + hx(REQ + data(b"x")), "out:" + d_preamble()],
        "REQUESTED", ["ConnectRequested:616c696365", "MessageReceived:78"])
    assert early_cost(b"alice", b"ab", b"") == 15
    row("callee-early-messages-then-accept", "callee",
        ["in:" + hx(REQ + data(b"ab") + data()), "accept", "out:" + d_preamble() + " | " + d_accept(),
         "in:" + hx(data(bytes(16)))],
        "OPEN", ["ConnectRequested:616c696365", "MessageReceived:6162", "MessageReceived:",
                 "MessageReceived:" + hx(bytes(16))])
    assert early_cost(b"", nine) <= LIMITS["maxCallerData"]
    row("callee-early-fragmented-message", "callee",
        ["in:" + hx(P + connect() + message_size(9) + data(nine[:8], True) + data(nine[8:])), "out:" + d_preamble()],
        "REQUESTED", ["ConnectRequested:", "MessageReceived:" + hx(nine)])
    assert early_cost(b"alice", b"abcdef") == 15 and early_cost(b"alice", b"abcdef", b"x") > 16
    row("callee-early-messages-over-limit", "callee",
        ["in:" + hx(REQ + data(b"abcdef") + data(b"x")[:4]), "out:" + d_preamble() + " | " + rj(13)],
        "CLOSED", ["ConnectRequested:616c696365", "MessageReceived:616263646566", "Closed:ABORTED/DATA_TOO_LARGE"])
    assert early_cost(b"", bytes(8) + bytes(5)) > 16
    row("callee-early-fragments-over-limit", "callee",
        ["in:" + hx(P + connect() + data(bytes(8), True) + data(bytes(5))[:4]), "out:" + d_preamble() + " | " + rj(13)],
        "CLOSED", ["ConnectRequested:", "Closed:ABORTED/DATA_TOO_LARGE"])
    assert early_cost(b"alice", bytes(8)) > 16
    row("callee-early-message-size-over-limit", "callee",
        ["in:" + hx(REQ + message_size(8)), "out:" + d_preamble() + " | " + rj(13)],
        "CLOSED", ["ConnectRequested:616c696365", "Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-early-message-over-max-message", "callee",
        ["in:" + hx(REQ + data(bytes(33))[:4]), "out:" + d_preamble() + " | " + rj(8)],
        "CLOSED", ["ConnectRequested:616c696365", "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("callee-early-message-then-reject", "callee",
        ["in:" + hx(REQ + data(b"x")), "reject:REFUSED", "out:" + d_preamble() + " | " + rj(1)],
        "CLOSED", ["ConnectRequested:616c696365", "MessageReceived:78", "Closed:REFUSED/REFUSED"])
    assert early_cost(b"alice", b"ab") <= 16 < early_cost(b"alice", b"ab", b"xy")
    row("callee-early-messages-while-deferred", "callee",
        ["in:" + hx(REQ), "defer:0", "in:" + hx(data(b"ab")), "defer:1000", "in:" + hx(data(b"xy")),
         "out:" + " | ".join([d_preamble(), "PENDING", "PENDING", rj(13)])],
        "CLOSED", ["ConnectRequested:616c696365", "MessageReceived:6162", "Closed:ABORTED/DATA_TOO_LARGE"])
    row("callee-disconnect-while-requested", "callee",
        ["in:" + hx(REQ + disconnect()), "out:" + d_preamble() + " | " + ab(7)],
        "CLOSED", ["ConnectRequested:616c696365", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-data-before-connect", "callee", ["in:" + hx(P + data(b"x")), "out:" + d_preamble() + " | " + ab(7)],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-second-connect", "callee",
        ["in:" + hx(REQ), "accept", "in:" + hx(connect()), "out:" + d_preamble() + " | " + d_accept() + " | " + ab(7)],
        "CLOSED", ["ConnectRequested:616c696365", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-decide-twice", "callee",
        ["in:" + hx(REQ), "accept", "accept!WSAENOTCONN", "reject:REFUSED!WSAENOTCONN"],
        "OPEN", ["ConnectRequested:616c696365"])
    row("callee-accept-data-over-caller-limit", "callee",
        ["in:" + hx(P + connect(max_callee=3)), "accept:61626364!WSAEMSGSIZE", "out:" + d_preamble(), "accept:616263",
         "out:" + d_accept(data=b"abc")],
        "OPEN", ["ConnectRequested:"])
    row("callee-grant-qos-above-request", "callee",
        ["in:" + hx(P + connect(qos=(be(1000), be(1000)))), "accept-qos:1001!WSAEINVAL", "out:" + d_preamble(),
         "accept-qos:1000", "out:" + d_accept(qos=(be(1000), be(1000)))],
        "OPEN", ["ConnectRequested:"])
    row("callee-grant-qos-not-requested", "callee",
        ["in:" + hx(REQ), "accept-qos:1000!WSAEINVAL", "out:" + d_preamble()],
        "REQUESTED", ["ConnectRequested:616c696365"])

    # Open connection and teardown (callee side after accept)
    OPENED = ["in:" + hx(REQ), "accept", "out:" + d_preamble() + " | " + d_accept()]
    REQ_EV = "ConnectRequested:616c696365"
    row("open-messages-and-graceful-close", "callee",
        OPENED + ["in:" + hx(data(b"he", True) + data(b"llo") + data() + disconnect(b"25")), "out:",
                  "send:6f6b", "disconnect:31303235", "out:" + d_data(b"ok") + " | " + d_disconnect(b"1025")],
        "CLOSED", [REQ_EV, "MessageReceived:68656c6c6f", "MessageReceived:", "PeerDisconnected:3235",
                   "Closed:GRACEFUL/UNSPECIFIED"])
    row("open-local-disconnect-first", "callee",
        OPENED + ["disconnect:3235", "send:61!WSAESHUTDOWN", "disconnect:!WSAESHUTDOWN", "in:" + hx(data(b"x")),
                  "in:" + hx(disconnect(b"", True)), "out:" + d_disconnect(b"25")],
        "CLOSED", [REQ_EV, "MessageReceived:78", "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("open-data-after-peer-disconnect", "callee",
        OPENED + ["in:" + hx(disconnect() + data(b"x")), "out:" + ab(7)],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-end-of-stream-without-disconnect", "callee", OPENED + ["in:" + hx(data(b"x")), "eos", "out:"],
        "CLOSED", [REQ_EV, "MessageReceived:78", "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("open-end-of-stream-mid-message", "callee", OPENED + ["in:" + hx(data(b"x", True)), "eos"],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("open-end-of-stream-after-peer-disconnect", "callee",
        OPENED + ["in:" + hx(disconnect(b"t")), "eos", "send:61", "disconnect:",
                  "out:" + d_data(b"a") + " | " + d_disconnect()],
        "CLOSED", [REQ_EV, "PeerDisconnected:74", "Closed:GRACEFUL/UNSPECIFIED"])
    row("open-end-of-stream-after-own-disconnect", "callee", OPENED + ["disconnect:", "eos"],
        "CLOSED", [REQ_EV, "Closed:ABORTED/TRANSPORT_CLOSED"])
    row("open-reset-after-peer-disconnect", "callee",
        OPENED + ["in:" + hx(disconnect()), "reset"],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:RESET/TRANSPORT_RESET"])
    row("open-peer-abort", "callee", OPENED + ["in:" + hx(abort(9, b"bye")), "send:61!WSAECONNRESET", "out:"],
        "CLOSED", [REQ_EV, "Closed:RESET/APPLICATION_ABORT"])
    row("open-peer-abort-unknown-reason", "callee", OPENED + ["in:" + hx(abort(4242))],
        "CLOSED", [REQ_EV, "Closed:RESET/UNSPECIFIED"])
    row("open-local-abort", "callee",
        OPENED + ["abort:APPLICATION_ABORT", "out:" + ab(9), "abort:APPLICATION_ABORT", "out:",
                  "in:" + hx(data(b"late"))],
        "CLOSED", [REQ_EV, "Closed:ABORTED/APPLICATION_ABORT"])
    row("open-message-over-limit", "callee",
        OPENED + ["in:" + hx(data(bytes(16), True) + data(bytes(17))), "out:" + ab(8)],
        "CLOSED", [REQ_EV, "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("open-message-size-then-fragments", "callee",
        OPENED + ["in:" + hx(message_size(5) + data(b"hel", True) + data(b"lo")), "out:"],
        "OPEN", [REQ_EV, "MessageReceived:68656c6c6f"])
    row("open-message-size-while-send-closed", "callee",
        OPENED + ["disconnect:", "in:" + hx(message_size(9) + data(bytes(8), True) + data(b"x")),
                  "out:" + d_disconnect()],
        "SEND_CLOSED", [REQ_EV, "MessageReceived:000000000000000078"])
    row("open-message-size-mismatch", "callee",
        OPENED + ["in:" + hx(message_size(6) + data(b"hel", True) + data(b"lo")), "out:" + ab(7)],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-message-size-over-limit", "callee",
        OPENED + ["in:" + hx(message_size(33)), "out:" + ab(8)],
        "CLOSED", [REQ_EV, "Closed:ABORTED/MESSAGE_TOO_LARGE"])
    row("open-message-size-wrong-length", "callee",
        OPENED + ["in:" + hx(frame(0x81, 0, bytes(2))), "out:" + ab(7)],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-message-size-after-peer-disconnect", "callee",
        OPENED + ["in:" + hx(disconnect() + message_size(1)), "out:" + ab(7)],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("callee-message-size-before-request", "callee",
        ["in:" + hx(P + message_size(1)), "out:" + d_preamble() + " | " + ab(7)],
        "CLOSED", ["Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("open-disconnect-data-over-limit", "callee",
        OPENED + ["in:" + hx(disconnect(bytes(17))), "out:" + ab(13)],
        "CLOSED", [REQ_EV, "Closed:ABORTED/DATA_TOO_LARGE"])
    row("open-peer-closed-refuses-sends", "callee",
        OPENED + ["in:" + hx(disconnect(b"", True)), "send:61!WSAESHUTDOWN", "disconnect:",
                  "out:" + D_CLOSE_SEEN + " | " + d_disconnect()],
        "CLOSED", [REQ_EV, "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    # CLOSE_SEEN (section 4.10): sent at once for a DISCONNECT with CLOSED that arrives while this side may
    # still send; never otherwise. Received, it changes nothing in any state.
    row("open-peer-closed-answered-with-close-seen", "callee",
        OPENED + ["in:" + hx(data(b"x") + disconnect(b"bye", True)), "out:" + D_CLOSE_SEEN],
        "RECEIVE_CLOSED", [REQ_EV, "MessageReceived:78", "PeerDisconnected/closed:627965"])
    row("caller-peer-closed-answered-with-close-seen", "caller",
        ["connect", "in:" + hx(P + ACC + disconnect(b"", True)), "out:" + C_OUT + " | " + D_CLOSE_SEEN,
         "send:61!WSAESHUTDOWN", "disconnect:", "out:" + d_disconnect()],
        "CLOSED", ["Accepted:", "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("open-peer-disconnect-without-closed-no-close-seen", "callee",
        OPENED + ["in:" + hx(disconnect(b"t")), "out:"],
        "RECEIVE_CLOSED", [REQ_EV, "PeerDisconnected:74"])
    row("send-closed-peer-closed-no-close-seen", "callee",
        OPENED + ["disconnect:", "out:" + d_disconnect(), "in:" + hx(disconnect(b"", True)), "out:"],
        "CLOSED", [REQ_EV, "PeerDisconnected/closed:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("close-seen-ignored-while-connecting", "caller",
        ["connect", "in:" + hx(P + close_seen()), "out:" + C_OUT, "in:" + hx(close_seen() + ACC)],
        "OPEN", ["Accepted:"])
    row("close-seen-ignored-awaiting-request", "callee",
        ["in:" + hx(P + close_seen()), "out:" + d_preamble()], "AWAITING_REQUEST", [])
    row("close-seen-ignored-while-requested", "callee",
        ["in:" + hx(REQ + close_seen()), "out:" + d_preamble()], "REQUESTED", [REQ_EV])
    row("close-seen-ignored-while-open", "callee",
        OPENED + ["in:" + hx(close_seen() + data(b"he", True) + close_seen() + data(b"llo")), "out:"],
        "OPEN", [REQ_EV, "MessageReceived:68656c6c6f"])
    row("close-seen-ignored-after-message-size", "callee",
        OPENED + ["in:" + hx(message_size(2) + close_seen() + data(b"hi")), "out:"],
        "OPEN", [REQ_EV, "MessageReceived:6869"])
    row("close-seen-received-after-own-close", "callee",
        OPENED + ["close:", "out:" + d_disconnect(b"", True), "in:" + hx(close_seen()), "out:"],
        "SEND_CLOSED", [REQ_EV])
    row("close-seen-ignored-while-receive-closed", "callee",
        OPENED + ["in:" + hx(disconnect() + close_seen()), "out:", "send:61", "out:" + d_data(b"a")],
        "RECEIVE_CLOSED", [REQ_EV, "PeerDisconnected:"])
    row("close-seen-ignored-when-closed", "callee",
        OPENED + ["in:" + hx(disconnect()), "disconnect:", "in:" + hx(close_seen()), "out:" + d_disconnect()],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:GRACEFUL/UNSPECIFIED"])
    row("close-seen-with-payload", "callee",
        OPENED + ["in:" + hx(frame(0x82, 0, b"x")), "out:" + ab(7)],
        "CLOSED", [REQ_EV, "Closed:ABORTED/PROTOCOL_VIOLATION"])
    row("closed-refuses-commands", "callee",
        OPENED + ["in:" + hx(disconnect()), "disconnect:", "send:61!WSAESHUTDOWN", "disconnect:!WSAESHUTDOWN",
                  "accept!WSAESHUTDOWN"],
        "CLOSED", [REQ_EV, "PeerDisconnected:", "Closed:GRACEFUL/UNSPECIFIED"])
    return rows


# ------------------------------------------------------------------------------------------ reference-scenario.tsv

def scenario_rows():
    """The reference scenario of winsock-semantics.md between two engines with the default configuration."""
    mib4, kib4 = 4 << 20, 4096
    return [
        ("1", "client", "preamble", preamble().hex(), "versions 1..1"),
        ("1", "client", "CONNECT", connect(mib4, kib4, kib4, data=b"alice").hex(),
         "limits 4 MiB / 4 KiB / 4 KiB, caller data \"alice\""),
        ("2", "server", "preamble", preamble().hex(), "versions 1..1: version 1 chosen"),
        ("2", "server", "ACCEPT", accept(mib4, kib4, data=b"welcome").hex(),
         "limits 4 MiB / 4 KiB, callee data \"welcome\""),
        ("3", "client", "DATA", data(b"deposit 25").hex(), "one message, one fragment"),
        ("4", "server", "DATA", data(b"ok").hex(), "one message"),
        ("5", "client", "DISCONNECT", disconnect(b"25").hex(), "WSASendDisconnect with the client's total"),
        ("6", "server", "DISCONNECT", disconnect(b"1025", closed=True).hex(),
         "WSASendDisconnect with the grand total, then closesocket: CLOSED"),
    ]


SCENARIO_HEADER = """\
# The reference scenario (docs/protocol.md, "Worked example"), frame by frame. Generated by generate.py.
# Both engines use the default configuration (4 KiB connect and disconnect data, 4 MiB messages).
# Columns (tab-separated): step, sender (client = caller, server = callee), frame, hex, meaning
"""


# ------------------------------------------------------------------------------------------ writing

FRAMES_HEADER = """\
# Parley protocol v1 frame vectors (docs/protocol.md). Generated by generate.py; edit that, not this file.
# Decoder limits: maxCallerData=16 maxCalleeData=16 maxDisconnectData=16 maxMessageSize=32
# Columns (tab-separated): name, input, hex, expect, canonical
#   input     stream: hex is the start of a byte stream, preamble included
#             frames: hex follows the preamble 8f5041524c45590a0101, which the reader feeds first
#   expect    the frames decoded from hex, in order, separated by " | ", each as
#               PREAMBLE min=N max=N
#               CONNECT maxMessage=N maxCalleeData=N maxDisconnectData=N [qos=S;R] [group=KIND:ID:PRIORITY] data=HEX
#               ACCEPT maxMessage=N maxDisconnectData=N [qos=S;R] [group=ID:PRIORITY] data=HEX
#               REJECT reason=CODE/NAME data=HEX     (NAME: UNSPECIFIED for codes the version does not know)
#               PENDING
#               DATA more=0|1 data=HEX
#               MESSAGE_SIZE size=N
#               CLOSE_SEEN
#               DISCONNECT closed=0|1 data=HEX
#               ABORT reason=CODE/NAME data=HEX
#             S and R are flow specs: TokenRate,TokenBucketSize,PeakBandwidth,Latency,DelayVariation,
#             ServiceType,MaxSduSize,MinimumPolicedSize; "-" is QOS_NOT_SPECIFIED; ServiceType is its name,
#             with "+0x" and the flag bits (8 hex digits) when the top byte is not zero.
#             The list may end with "error=REASON at=N": the decoder reports REASON (a reason code name)
#             when it has been fed the byte at index N of hex (0-based), not before, and decodes nothing
#             after it; or with "partial": the bytes end inside a frame (or the preamble).
#   canonical yes: encoding the decoded frames again gives hex back exactly
"""

ENGINE_HEADER = """\
# Parley protocol v1 engine vectors (docs/protocol.md, "State machine"). Generated by generate.py.
# Each engine advertises limits maxCallerData=16 maxCalleeData=16 maxDisconnectData=16 maxMessageSize=32,
# sends fragments of at most 8 bytes, and has a handshake deadline at t=10000 ms (the clock starts at 0).
# Columns (tab-separated): name, role (caller|callee), script, expect
# script: steps separated by " ; ", run in order on a fresh engine:
#   connect[:HEX]         caller: connect, no QoS, no group, caller data HEX (default empty)
#   connect-qos:RATE      caller: connect requesting best-effort QoS both ways (token rate RATE, bucket 1000,
#                         everything else not specified), no group, no caller data
#   accept[:HEX]          callee: accept with callee data HEX, no QoS, no group
#   accept-qos:RATE       callee: accept granting that same best-effort QoS with token rate RATE both ways
#   reject:REASON         callee: reject with that reason code, no reason data
#   defer:MS              callee: defer at time MS
#   send:HEX              send one message
#   send-zeros:N          send one message of N zero bytes
#   disconnect:HEX        send DISCONNECT with that data (CLOSED flag clear)
#   close:HEX             send DISCONNECT with that data and the CLOSED flag set
#   abort:REASON          abort with that reason code
#   in:HEX                the transport delivers these bytes
#   eos                   the transport's inbound direction ends (FIN)
#   reset                 the transport is reset (RST)
#   timeout:MS            the time is now MS
#   out:FRAMES            the bytes the engine produced since the previous out step decode to FRAMES (the
#                         frames.tsv notation; "out:" alone means nothing); REJECT and ABORT are written
#                         without their data, whose text is free
#   STEP!WSAEXXX          the command is refused with that Winsock error and changes nothing
# expect: the final state and every event, in order: ConnectRequested:HEX (caller data), Accepted:HEX
#   (callee data), Deferred, MessageReceived:HEX, PeerDisconnected[/closed]:HEX, Closed:KIND/REASON
"""


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        for r in rows:
            assert all("\t" not in c and "\n" not in c for c in r), r
            out.write("\t".join(r) + "\n")


if __name__ == "__main__":
    write("frames.tsv", FRAMES_HEADER, frame_rows())
    write("engine.tsv", ENGINE_HEADER, engine_rows())
    write("reference-scenario.tsv", SCENARIO_HEADER, scenario_rows())
