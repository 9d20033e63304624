package io.switchboard.message.attachments;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import java.nio.file.Path;

/**
 * The attachments' store and limits, from the configuration, checked once at start; {@code orphanHours}:
 * how long an upload may stay unattached before {@link OrphanUploadsJob} removes it (0: kept).
 */
public record AttachmentSettings(String store, Path dir, String s3Endpoint, String s3Region, String s3Bucket,
    String s3AccessKey, String s3SecretKey, long maxUploadBytes, String contentTypes, int orphanHours) {

  public static AttachmentSettings from(Config config) {
    String store = config.string(ConfigKey.ATTACHMENTS_STORE).trim().toLowerCase(java.util.Locale.ROOT);
    String dir = config.string(ConfigKey.ATTACHMENTS_DIR);
    Path path = dir == null || dir.isBlank() ? Path.of(config.string(ConfigKey.DATA_DIR), "attachments") : Path.of(dir);
    AttachmentSettings settings = new AttachmentSettings(store, path, config.string(ConfigKey.S3_ENDPOINT),
        config.string(ConfigKey.S3_REGION), config.string(ConfigKey.S3_BUCKET), config.string(ConfigKey.S3_ACCESS_KEY),
        config.string(ConfigKey.S3_SECRET_KEY), config.longValue(ConfigKey.MAX_UPLOAD_BYTES),
        config.string(ConfigKey.UPLOAD_CONTENT_TYPES), config.integer(ConfigKey.UPLOAD_ORPHAN_HOURS));
    settings.check();
    return settings;
  }

  /** A local store in {@code dir} with the default limits (tests). */
  public static AttachmentSettings local(Path dir, long maxUploadBytes, String contentTypes) {
    return new AttachmentSettings("local", dir, "", "us-east-1", "", "", "", maxUploadBytes, contentTypes, 24);
  }

  /** An S3 store (tests). */
  public static AttachmentSettings s3(String endpoint, String bucket, String accessKey, String secretKey, long maxUploadBytes,
      String contentTypes) {
    return new AttachmentSettings("s3", null, endpoint, "us-east-1", bucket, accessKey, secretKey, maxUploadBytes, contentTypes, 24);
  }

  void check() {
    if (!store.equals("local") && !store.equals("s3")) {
      throw new IllegalArgumentException(ConfigKey.ATTACHMENTS_STORE.env() + " must be local or s3, not " + store);
    }
    if (store.equals("s3") && (blank(s3Bucket) || blank(s3AccessKey) || blank(s3SecretKey))) {
      throw new IllegalArgumentException("with " + ConfigKey.ATTACHMENTS_STORE.env() + "=s3, " + ConfigKey.S3_BUCKET.env()
          + ", " + ConfigKey.S3_ACCESS_KEY.env() + " and " + ConfigKey.S3_SECRET_KEY.env() + " are required");
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException(ConfigKey.MAX_UPLOAD_BYTES.env() + " must be positive");
    }
    if (orphanHours < 0) {
      throw new IllegalArgumentException(ConfigKey.UPLOAD_ORPHAN_HOURS.env() + " must be 0 (keep) or more hours");
    }
  }

  /** The store these settings name (an S3 client holds connections: close it with the service). */
  public AttachmentStore open() {
    return store.equals("s3") ? new S3AttachmentStore(s3Endpoint, s3Region, s3Bucket, s3AccessKey, s3SecretKey)
        : new LocalAttachmentStore(dir);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Never the secret: settings may be logged. */
  @Override
  public String toString() {
    return "AttachmentSettings[store=" + store + ", dir=" + dir + ", s3Endpoint=" + s3Endpoint + ", s3Bucket=" + s3Bucket
        + ", maxUploadBytes=" + maxUploadBytes + ", contentTypes=" + contentTypes + ", orphanHours=" + orphanHours + "]";
  }
}
