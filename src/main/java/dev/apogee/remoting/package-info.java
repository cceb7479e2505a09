/**
 * RocketMQ's remoting protocol on TCP: the layer the broker, the name server and the client share.
 * It knows nothing of brokers or stores.
 *
 * <p>Public surface: {@link dev.apogee.remoting.RemotingCommand} with {@link
 * dev.apogee.remoting.RequestCode} and {@link dev.apogee.remoting.ResponseCode}; {@link
 * dev.apogee.remoting.RemotingServer} and {@link dev.apogee.remoting.RemotingClient}, which hand
 * requests to {@link dev.apogee.remoting.RequestProcessor}s and give each socket a {@link
 * dev.apogee.remoting.Connection}; {@link dev.apogee.remoting.FrameDecoder} and {@link
 * dev.apogee.remoting.FrameEncoder} for whoever frames bytes directly. The header codecs, the
 * processor table and the table of awaited responses are machinery behind them.
 *
 * <p><b>Threads.</b> A connection belongs to the event loop of the context its socket was accepted
 * or opened on. Its decoder, the processor calls, its table of awaited responses and their timers
 * all run there, so none of them locks. Methods that may be called from elsewhere ({@code invoke},
 * {@code invokeOneway}, {@code close}, {@code onClose}) move their work onto that loop; the futures
 * they return complete on the caller's context. The processor table is copied on write and read
 * without locking. Processors must not block: they return a future and finish slow work elsewhere.
 *
 * <p><b>Buffers.</b> A command owns one reference to its body; writing a command releases it once
 * the bytes have left; a request's body is released when its processor's future completes. See
 * {@link dev.apogee.remoting.RemotingCommand}.
 */
package dev.apogee.remoting;
