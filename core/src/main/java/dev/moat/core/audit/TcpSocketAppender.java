package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends encoded events over one TCP connection to a collector (JSON lines, or RFC 5424 syslog frames:
 * the encoder decides the framing), from its own daemon thread.
 *
 * <ul>
 *   <li>Reconnects with exponential backoff (doubling from the minimum to the maximum delay, with
 *       jitter), resolving the host name again on every attempt.</li>
 *   <li>Detects a collector that closed the connection before writing to it (a read on the idle
 *       connection returns end-of-stream), so the next batch goes to a new connection instead of
 *       into a dead socket's buffer.</li>
 *   <li>Connects and writes with timeouts; a batch whose write fails is sent again, whole, on the next
 *       connection: delivery is at least once, and a collector may see an event twice after an
 *       outage, never a hole that was not counted — except for bytes the operating system had
 *       accepted for a peer that vanished without closing the connection, which TCP cannot report.</li>
 * </ul>
 */
final class TcpSocketAppender extends BackgroundAppender {

    private final String host;
    private final int port;
    private final String description;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;
    private final int connectTimeoutMillis;
    private final int writeTimeoutMillis;
    private Encoder<ILoggingEvent> encoder;
    private SocketChannel channel;
    private Selector selector;
    private final ByteBuffer probe = ByteBuffer.allocate(512);
    private final ByteArrayOutputStream batchBytes = new ByteArrayOutputStream(64 * 1024);
    private long backoff;
    private volatile boolean outage;
    private long failedAttempts;
    private volatile boolean connected;

    TcpSocketAppender(String host, int port, String description, int capacity, long minBackoffMillis,
                      long maxBackoffMillis) {
        super(capacity, "moat-audit-" + description.substring(0, description.indexOf(':')));
        this.host = host;
        this.port = port;
        this.description = description;
        this.minBackoffMillis = minBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.connectTimeoutMillis = 5_000;
        this.writeTimeoutMillis = 10_000;
        this.backoff = minBackoffMillis;
    }

    void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /** Whether a connection is open now. */
    boolean isConnected() {
        return connected;
    }

    @Override
    protected int deliver(List<ILoggingEvent> batch) {
        batchBytes.reset();
        for (ILoggingEvent e : batch) {
            byte[] bytes = encoder.encode(e);
            batchBytes.write(bytes, 0, bytes.length);
        }
        ByteBuffer data = ByteBuffer.wrap(batchBytes.toByteArray());
        while (!isStopping()) {
            try {
                if (channel == null) {
                    connect();
                } else {
                    checkNotClosedByPeer();
                }
                data.rewind();
                writeFully(data);
                return batch.size();
            } catch (IOException e) {
                disconnect();
                failedAttempts++;
                if (!outage) {
                    outage = true;
                    diagnostics.println("moat: audit sink " + description + " unreachable (" + e.getMessage()
                            + "); retrying with backoff, events are queued and any loss is counted");
                }
                long jitter = ThreadLocalRandom.current().nextLong(backoff / 5 + 1);
                if (!pause(backoff + jitter)) {
                    break;
                }
                backoff = Math.min(maxBackoffMillis, backoff * 2);
            }
        }
        return 0;
    }

    private void connect() throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + host);
        }
        SocketChannel ch = SocketChannel.open();
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            sel = Selector.open();
            if (!ch.connect(address)) {
                ch.register(sel, SelectionKey.OP_CONNECT);
                if (sel.select(connectTimeoutMillis) == 0) {
                    throw new IOException("connection timed out after " + connectTimeoutMillis + " ms");
                }
                sel.selectedKeys().clear();
                if (!ch.finishConnect()) {
                    throw new IOException("connection not established");
                }
            }
            ch.register(sel, SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch, sel);
            throw e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
        channel = ch;
        selector = sel;
        connected = true;
        if (outage) {
            diagnostics.println("moat: audit sink " + description + " reconnected after " + failedAttempts
                    + " failed attempt" + (failedAttempts == 1 ? "" : "s"));
        }
        outage = false;
        failedAttempts = 0;
        backoff = minBackoffMillis;
    }

    /** The collector never sends; end-of-stream on the idle connection means it closed it. */
    private void checkNotClosedByPeer() throws IOException {
        probe.clear();
        if (channel.read(probe) < 0) {
            throw new IOException("the collector closed the connection");
        }
    }

    private void writeFully(ByteBuffer data) throws IOException {
        long deadline = System.nanoTime() + writeTimeoutMillis * 1_000_000L;
        while (data.hasRemaining()) {
            if (channel.write(data) == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || isStopping()) {
                    throw new IOException("write timed out after " + writeTimeoutMillis + " ms");
                }
                selector.select(Math.min(left, 200));
                selector.selectedKeys().clear();
            }
        }
    }

    private void disconnect() {
        closeQuietly(channel, selector);
        channel = null;
        selector = null;
        connected = false;
    }

    private static void closeQuietly(SocketChannel ch, Selector sel) {
        try {
            if (sel != null) {
                sel.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    /** During an outage, waiting for delivery (at shutdown) is pointless. */
    @Override
    protected boolean deliveryPossible() {
        return !outage;
    }

    @Override
    protected void finish() {
        disconnect();
    }
}
