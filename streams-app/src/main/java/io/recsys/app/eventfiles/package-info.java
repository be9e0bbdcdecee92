/**
 * Event histories on disk, for {@code demo}, {@code evaluate}, {@code retrain --load} and {@code
 * produce}: MovieLens directories and a team's own CSV, TSV or JSON-lines exports, read into events
 * in time order with a column mapping (given, or recognised from the header). Imports no other
 * package of the app; a shared part.
 */
package io.recsys.app.eventfiles;
