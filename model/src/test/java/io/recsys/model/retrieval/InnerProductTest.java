package io.recsys.model.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InnerProductTest {

  @Test
  void theTestJvmRunsTheVectorApiPath() {
    // The build starts test JVMs with --add-modules jdk.incubator.vector, as bin/recsys does.
    assertThat(InnerProduct.vectorised()).isTrue();
  }

  @Test
  void simdAndScalarAgreeOnEveryLengthAndOffset() {
    Random random = new Random(7);
    float[] a = new float[400];
    float[] b = new float[400];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
    }
    for (int length = 0; length <= 300; length++) {
      int aFrom = random.nextInt(a.length - length + 1);
      int bFrom = random.nextInt(b.length - length + 1);
      double exact = 0;
      for (int j = 0; j < length; j++) {
        exact += (double) a[aFrom + j] * b[bFrom + j];
      }
      float tolerance = 1e-4f * (1 + length);
      assertThat(SimdInnerProduct.dot(a, aFrom, b, bFrom, length))
          .as("SIMD, length %d", length)
          .isCloseTo((float) exact, within(tolerance));
      assertThat(InnerProduct.scalar(a, aFrom, b, bFrom, length))
          .as("scalar, length %d", length)
          .isCloseTo((float) exact, within(tolerance));
    }
  }

  @Test
  void aLogitIsTheRowsInnerProductPlusItsBias() {
    float[] weights = {1, 2, 3, 4, 5, 6};
    float[] bias = {0.5f, -1f};
    ItemVectors items = new ItemVectors(2, 3, weights, bias, row -> true);

    assertThat(items.logit(0, new float[] {1, 1, 1})).isEqualTo(6.5f);
    assertThat(items.logit(1, new float[] {1, 0, -1})).isEqualTo(-3f);
  }
}
