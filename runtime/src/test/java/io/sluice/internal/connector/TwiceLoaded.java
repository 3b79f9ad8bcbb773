package io.sluice.internal.connector;

/** A record that {@link RecordEncoderTest} loads in two class loaders, as a redeploy would. */
public record TwiceLoaded(long id, String name) {}
