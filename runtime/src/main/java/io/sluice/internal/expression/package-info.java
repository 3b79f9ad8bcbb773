/** The expression language: its lexer, parser and syntax tree. Nothing here knows a schema. */
@NullMarked
package io.sluice.internal.expression;

import org.jspecify.annotations.NullMarked;
