package io.recsys.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** Which ND4J backend and device the model computes on, for the start-up log. */
public final class BackendInfo {
  private BackendInfo() {}

  /** For example "CpuBackend, blas=OPENBLAS, omp.threads=2, cores=2". */
  public static String describe() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    StringBuilder sb = new StringBuilder(Nd4j.getBackend().getClass().getSimpleName());
    for (String key :
        new String[] {"blas.vendor", "omp.threads", "cores", "cuda.devicesInformation"}) {
      Object value = env.get(key);
      if (value != null) {
        sb.append(", ").append(key).append('=').append(value);
      }
    }
    sb.append(", nd4j=").append(nd4jVersion());
    return sb.toString();
  }

  static String nd4jVersion() {
    try (InputStream in =
        Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
