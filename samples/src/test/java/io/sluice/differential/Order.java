package io.sluice.differential;

import io.sluice.annotations.Event;
import java.time.Instant;

/**
 * An order of the differential corpus: one component of every column type the engine supports,
 * primitive (NOT NULL) and boxed or reference (nullable).
 */
@Event
public record Order(
    long id,
    int qty,
    double price,
    boolean paid,
    String customer,
    Instant placedAt,
    Long discount,
    Integer rating,
    Double weight,
    Boolean gift,
    String coupon,
    Instant shippedAt) {}
