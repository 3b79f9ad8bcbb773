/**
 * The code generator: turns a planned stage into one Java class with a fused loop (JavaPoet), and
 * compiles it in-process (Janino). Generated source never contains user text: literals and user
 * functions are passed in a constant pool.
 */
@NullMarked
package io.sluice.internal.codegen;

import org.jspecify.annotations.NullMarked;
