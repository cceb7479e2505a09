package dev.apogee.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The Apache RocketMQ that {@code /work/shared/tools/rocketmq-reference/start.sh} starts: its name
 * server on 127.0.0.1:19876. Tests against it are skipped when nothing listens there.
 */
final class ReferenceRocketMq {
  static final String NAMESRV = "127.0.0.1:19876";

  static final String SKIP_MESSAGE =
      "Apache RocketMQ reference not running on "
          + NAMESRV
          + " (start it with /work/shared/tools/rocketmq-reference/start.sh)";

  private ReferenceRocketMq() {}

  /** Whether something accepts connections on the reference name server's port. */
  static boolean running() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 19876), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
