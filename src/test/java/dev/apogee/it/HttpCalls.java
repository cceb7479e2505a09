package dev.apogee.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Blocking HTTP calls to one gateway, for tests; bodies are read as text. */
final class HttpCalls {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  /** Calls go to {@code http://127.0.0.1:port}. */
  HttpCalls(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, null);
  }

  HttpResponse<String> post(String path, String type, String body)
      throws IOException, InterruptedException {
    return send("POST", path, type, body.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code method} on {@code path}, with a body of {@code type} unless {@code body} is null. */
  HttpResponse<String> send(String method, String path, String type, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (type != null) {
      b.header("Content-Type", type);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
