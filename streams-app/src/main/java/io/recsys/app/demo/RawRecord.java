package io.recsys.app.demo;

/** An input record as bytes, before the pipeline has looked at it. */
public record RawRecord(byte[] key, byte[] value) {}
