/**
 * {@code recsys demo}: an embedded broker, the whole pipeline, a feed of synthetic or MovieLens
 * events, and the run's summary (latency, freshness, prequential curve, the interval-trained
 * comparison). An entry point: imported only by {@code cli}.
 */
package io.recsys.app.demo;
