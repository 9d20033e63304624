package io.switchboard.message.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Attachments in an S3-compatible object store. Clients put and get the bytes themselves with
 * presigned URLs (path-style, for endpoints other than AWS's), so they never pass through a gateway;
 * message-service only checks an upload (HEAD) and reads an image once for its thumbnail. The SDK's
 * blocking client: called on worker threads only.
 */
public final class S3AttachmentStore implements AttachmentStore, AutoCloseable {
  private final S3Client client;
  private final S3Presigner presigner;
  private final String bucket;

  public S3AttachmentStore(String endpoint, String region, String bucket, String accessKey, String secretKey) {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
    var clientBuilder = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials)
        .serviceConfiguration(pathStyle).httpClient(UrlConnectionHttpClient.create());
    var presignerBuilder = S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials)
        .serviceConfiguration(pathStyle);
    if (endpoint != null && !endpoint.isBlank()) {
      clientBuilder.endpointOverride(URI.create(endpoint));
      presignerBuilder.endpointOverride(URI.create(endpoint));
    }
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
    this.bucket = bucket;
  }

  @Override
  public PresignedPut presignPut(String key, String contentType, long size, Duration ttl) {
    PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(ttl)
        .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType)));
    Map<String, String> headers = new HashMap<>();
    // The headers the signature covers (content type), which the client must send as they are.
    put.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(name, String.join(",", values));
      }
    });
    return new PresignedPut(put.url().toString(), Map.copyOf(headers), put.expiration());
  }

  @Override
  public String presignGet(String key, String contentType, String fileName, Duration ttl) {
    return presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(GetObjectRequest.builder()
        .bucket(bucket).key(key).responseContentType(contentType)
        .responseContentDisposition(ContentTypes.disposition(contentType, fileName)).build())).url().toString();
  }

  @Override
  public String file(String key) {
    return null;
  }

  @Override
  public Stat stat(String key) throws IOException {
    try {
      HeadObjectResponse head = client.headObject(h -> h.bucket(bucket).key(key));
      return new Stat(head.contentLength(), head.contentType());
    } catch (NoSuchKeyException missing) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw new IOException("s3: " + e.statusCode(), e);
    } catch (SdkException e) {
      throw new IOException("s3: " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return client.getObject(g -> g.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw new IOException("s3: " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) throws IOException {
    try {
      client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build(),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw new IOException("s3: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      client.deleteObject(d -> d.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw new IOException("s3: " + e.getMessage(), e);
    }
  }

  @Override
  public void check() throws IOException {
    try {
      client.headBucket(h -> h.bucket(bucket));
    } catch (SdkException e) {
      throw new IOException("s3: bucket " + bucket + " not reachable: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }

}
