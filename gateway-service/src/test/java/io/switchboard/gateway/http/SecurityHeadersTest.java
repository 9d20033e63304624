package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The pages' Content-Security-Policy")
class SecurityHeadersTest {

  private static String policyServedBy(TestGateway gateway) throws Exception {
    HttpResponse<Void> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + "/")).build(),
        HttpResponse.BodyHandlers.discarding());
    return page.headers().firstValue("Content-Security-Policy").orElseThrow();
  }

  private static String connectSrc(String policy) {
    for (String directive : policy.split(";")) {
      if (directive.strip().startsWith("connect-src ")) {
        return directive.strip();
      }
    }
    throw new AssertionError("no connect-src in " + policy);
  }

  @Test
  @DisplayName("with the local store, lets the app talk to its own origin only")
  void localStore() throws Exception {
    try (TestGateway gateway = TestGateway.start()) {
      assertEquals("connect-src 'self' ws: wss:", connectSrc(policyServedBy(gateway)));
    }
  }

  @Test
  @DisplayName("with an S3 endpoint, also to that endpoint's origin: the app PUTs uploads to presigned URLs there")
  void s3Endpoint() throws Exception {
    try (TestGateway gateway = TestGateway.start(c -> c.with(ConfigKey.ATTACHMENTS_STORE, "s3")
        .with(ConfigKey.S3_ENDPOINT, "https://objects.example.net:9000/").with(ConfigKey.S3_BUCKET, "chat"))) {
      assertEquals("connect-src 'self' ws: wss: https://objects.example.net:9000", connectSrc(policyServedBy(gateway)));
    }
  }

  @Test
  @DisplayName("on AWS, to the hosts the SDK addresses the bucket at: its own, or S3's for a name with dots")
  void aws() {
    Config aws = Config.defaults().with(ConfigKey.ATTACHMENTS_STORE, "s3").with(ConfigKey.S3_REGION, "eu-west-3");
    assertEquals(List.of("https://chat-files.s3.amazonaws.com", "https://chat-files.s3.eu-west-3.amazonaws.com"),
        SecurityHeaders.objectStoreOrigins(aws.with(ConfigKey.S3_BUCKET, "chat-files")));
    assertEquals(List.of("https://s3.amazonaws.com", "https://s3.eu-west-3.amazonaws.com"),
        SecurityHeaders.objectStoreOrigins(aws.with(ConfigKey.S3_BUCKET, "chat.files")));
    assertTrue(new SecurityHeaders(List.of()).policy().contains("frame-ancestors 'none'"));
  }
}
