package io.parley.bench.report;

/** The fixed part of the page: what each scenario does for each implementation, and how figures are made. */
final class Notes {
    private Notes() {
    }

    static final String TEXT = """
            ## How each implementation does the work

            Everything runs in one JVM per scenario (the idle server in a JVM of its own), on 127.0.0.1, client
            and server sharing the machine's cores. Every run checks its counts on both sides and fails instead of
            printing a number when they disagree. Parley and raw TCP use blocking calls on virtual threads; Netty,
            WebSocket (Netty's websocketx codec) and RSocket are driven by their own event loops (Netty 4.2
            epoll; RSocket 1.1.5 on reactor-netty 1.3, which runs on the same Netty 4.2.18). TCP_NODELAY is on
            everywhere.

            | scenario | Parley | raw TCP | Netty | RSocket | WebSocket |
            |---|---|---|---|---|---|
            | lifecycle (32 client loops) | connect with 16 B caller data and the 64 B request as the first message (same flight); the condition checks the caller data and accepts with 16 B callee data; 64 B response; `sendDisconnect` 8 B each way, each side reads the other's; close | connect, 64 B request and response, `shutdownOutput`, read end of stream, close (the floor: no connect or disconnect data) | 16 B request answered by 16 B after a check, 64 B request and response, 8 B each way then half-close, close | SETUP with 16 B data checked by the acceptor; SETUP has no answer, so the 16 B callee data rides on the first response (16 + 64 B); 8 B request-response as disconnect data; dispose | caller and callee data in upgrade headers (checked before the 101); binary 64 B request and response; close frame status 1000 with 8 B reason each way; the server closes TCP |
            | small-messages, bulk | `send` per message, disconnect data carries the count | 4 B length + bytes through a 64 KiB `BufferedOutputStream`; an 8 B message carries the count | a pooled buffer per framed message, written while the channel is writable and flushed when it is not | one request-channel streaming every message | masked binary frames, batched as Netty; the close reason carries the count |
            | ping-pong | `send` + `receive` | length-prefixed, buffered streams, flush per message | event-loop client, echo server | chained request-response | binary frames |
            | idle, flood | condition accepts with callee data; the README's serving pattern (a virtual thread per connection in `receive`) | a virtual thread per connection reads the 16 B request (with a read timeout) and answers | a read timeout until the 16 B request is checked and answered | acceptor checks SETUP; the client's first request-response returns the callee data; `maxTimeToFirstFrame` is the handshake timeout | upgrade checked, read timeout until then; close frame to end |

            *Parley events* runs Parley's clients, condition and checks against a server that serves every
            connection from one platform thread through an `EventWaiter` (non-blocking listener and connections,
            one accept per FD_ACCEPT, one receive per FD_READ, the client's disconnect at FD_CLOSE; no application
            thread per connection). It takes part only in the scenarios about servers with many connections
            (lifecycle, idle, flood); "–" elsewhere.

            Figures:
            - **alloc B/msg, alloc B/rtt**: heap bytes allocated by the whole JVM (both sides, every thread) during
              the run, divided by the messages (or round trips): a message's full cost in garbage.
            - **rw calls/…, switches/…**: read and write system calls (`syscr` + `syscw` of /proc/self/io: read(2), write(2) and their vector forms; Netty's sendmsg and recvfrom are not counted) and
              context switches of all the JVM's threads (/proc/self/task/*/status) during the run, per message,
              round trip or lifecycle, both sides together: what write coalescing and thread hand-offs change.
            - **cpu us/…**: CPU time of the whole JVM (user and system, every thread, both sides) during the run,
              per message, round trip or lifecycle: the cost behind the throughput, and less moved than
              throughput when other work shares the machine.
            - **idle**: the server runs alone in a child JVM with a fixed, pre-touched 1 GiB heap; *heap B/conn* is
              the live heap after full collections, *native B/conn* the growth of resident anonymous memory (`RssAnon`:
              the heap being pre-touched, that is memory outside the heap; file-backed pages such as the JDK's
              libraries are shared and left out), *total* their sum; both grow from a baseline taken
              after 1,000 connections were opened and closed, so that classes and compiled code, loaded once, do not
              count as memory per connection; *open s* is the time to open all 10,000 connections (64 connecting
              threads) until the server had accepted the last.
            - **flood**: 1,000 stalled connections (half send nothing, half send the first half of their
              implementation's opening bytes) are held all the time; every server closes a connection whose request
              has not arrived within 2 s, and it is opened again at once (*silent reopened*; *silent held (min)* is
              the fewest held, sampled after each client connect). Each well-behaved client connects, waits for the
              decision, closes, and again.
            - **qos** (Parley alone): four connections at once are granted 10 kB/s (bucket 10 kB, 1 kB messages),
              1 MB/s (64 kB, 16 kB), 100 MB/s (1 MB, 64 kB) and 1 GB/s (32 MB, 256 kB); each sends with blocking
              sends as fast as its grant lets it for the round. *rate ÷ TokenRate* is the rate achieved after the first
              tenth of the round (the bucket starts full, so the start is a burst by design); *burst ÷ bucket* the most
              bytes any window between two sends carried beyond what the rate allows for its length, seen at the
              sender. A token bucket keeps no more than its size: a sender starved for longer than its bucket lasts
              (a 1 GB/s grant's 32 MB last 32 ms) loses rate, which the 2 shared cores can do in the first round.
            - **Codec and engine**: JMH 1.37, one fork, `-prof gc`; `gc.alloc.rate.norm` is bytes allocated per
              operation.
            """;
}
