/**
 * The metrics aggregator (Kafka Streams) and its interactive queries, HTTP API and dashboard.
 */
package io.contrastream.eval.aggregate;
