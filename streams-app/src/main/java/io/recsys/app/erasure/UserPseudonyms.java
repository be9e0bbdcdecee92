package io.recsys.app.erasure;

import io.recsys.app.config.RecsysSettings;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the pipeline calls a user: the raw id, or with {@code recsys.privacy.user.id.key} set a
 * keyed hash of it (HMAC-SHA256 cut to 128 bits, {@code p-} and 22 base64url characters). Without
 * the key a pseudonym cannot be traced back to the id, nor made from a guessed id. Stable: the same
 * id and key give the same pseudonym in every instance and run. Thread-safe.
 */
public final class UserPseudonyms {
  private static final String ALGORITHM = "HmacSHA256";
  private static final int BYTES = 16;
  private static final UserPseudonyms RAW = new UserPseudonyms(null);

  private final SecretKeySpec key;

  private UserPseudonyms(SecretKeySpec key) {
    this.key = key;
  }

  /** Pseudonyms under the key the ingest settings name, or raw ids where they name none. */
  public static UserPseudonyms of(RecsysSettings.Ingest ingest) {
    return ingest.userIdKey() == null ? RAW : keyed(ingest.userIdKey());
  }

  /** Pseudonyms under {@code secret}. */
  public static UserPseudonyms keyed(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("secret: must be a non-empty string");
    }
    UserPseudonyms pseudonyms =
        new UserPseudonyms(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
    pseudonyms.of("check");
    return pseudonyms;
  }

  /** Whether ids are replaced. */
  public boolean enabled() {
    return key != null;
  }

  /** The name the pipeline keeps for {@code userId}. */
  public String of(String userId) {
    if (key == null) {
      return userId;
    }
    Mac mac;
    try {
      // A Mac is not thread-safe and cheap to make next to the hash itself.
      mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
    byte[] digest = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
    return "p-"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, BYTES));
  }
}
