package io.recsys.schemas;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one place that says how this project reads and writes JSON. */
public final class Json {
  private Json() {}

  /**
   * A new mapper: unknown properties tolerated (readers must accept newer writers), records
   * supported, no default typing.
   */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }
}
