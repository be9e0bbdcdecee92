package io.recsys.model.retrieval;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link InnerProduct#dot} on the Vector API. Loaded only where the JVM has the module: {@link
 * InnerProduct} checks before it calls here.
 */
final class SimdInnerProduct {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int STEP = SPECIES.length();

  private SimdInnerProduct() {}

  static float dot(float[] a, int aFrom, float[] b, int bFrom, int length) {
    // Two accumulators: each fused multiply-add waits for the previous one into the same register.
    FloatVector x = FloatVector.zero(SPECIES);
    FloatVector y = FloatVector.zero(SPECIES);
    int j = 0;
    for (; j + 2 * STEP <= length; j += 2 * STEP) {
      x =
          FloatVector.fromArray(SPECIES, a, aFrom + j)
              .fma(FloatVector.fromArray(SPECIES, b, bFrom + j), x);
      y =
          FloatVector.fromArray(SPECIES, a, aFrom + j + STEP)
              .fma(FloatVector.fromArray(SPECIES, b, bFrom + j + STEP), y);
    }
    for (; j + STEP <= length; j += STEP) {
      x =
          FloatVector.fromArray(SPECIES, a, aFrom + j)
              .fma(FloatVector.fromArray(SPECIES, b, bFrom + j), x);
    }
    float sum = x.add(y).reduceLanes(VectorOperators.ADD);
    for (; j < length; j++) {
      sum += a[aFrom + j] * b[bFrom + j];
    }
    return sum;
  }
}
