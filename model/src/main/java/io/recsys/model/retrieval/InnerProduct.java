package io.recsys.model.retrieval;

/**
 * The inner product of two float rows: the index's and the rescoring's hot loop (one per visited
 * graph node, about 130 multiply-adds each).
 *
 * <p>With the JDK's Vector API on the module path ({@code --add-modules jdk.incubator.vector}, as
 * {@code bin/recsys} and the container start the JVM) it runs on the CPU's widest SIMD registers
 * ({@link SimdInnerProduct}); without it, on four scalar sums, since the JIT does not vectorise a
 * float sum on its own (that would reorder the additions). The two differ only in rounding.
 */
public final class InnerProduct {
  private static final boolean SIMD =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private InnerProduct() {}

  /** Whether this JVM computes inner products with the Vector API. */
  public static boolean vectorised() {
    return SIMD;
  }

  /** {@code a[aFrom, aFrom + length) . b[bFrom, bFrom + length)}. */
  public static float dot(float[] a, int aFrom, float[] b, int bFrom, int length) {
    return SIMD
        ? SimdInnerProduct.dot(a, aFrom, b, bFrom, length)
        : scalar(a, aFrom, b, bFrom, length);
  }

  /** Four independent sums let the CPU overlap the multiply-adds. */
  static float scalar(float[] a, int aFrom, float[] b, int bFrom, int length) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < length; j += 4) {
      s0 += a[aFrom + j] * b[bFrom + j];
      s1 += a[aFrom + j + 1] * b[bFrom + j + 1];
      s2 += a[aFrom + j + 2] * b[bFrom + j + 2];
      s3 += a[aFrom + j + 3] * b[bFrom + j + 3];
    }
    for (; j < length; j++) {
      s0 += a[aFrom + j] * b[bFrom + j];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
