package dev.moat.core.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rule for one named argument of a tool ({@code tools.NAME.args.ARG}). Deliberately small:
 *
 * <ul>
 *   <li>{@code type} (required): {@code path}, {@code string}, {@code integer}, {@code number},
 *       {@code boolean}. A {@code path} is a string that must also lie inside the tool's file
 *       roots (checked by the path guard, not here).</li>
 *   <li>{@code maxLength} and {@code pattern} (a Java regex matched against the whole value):
 *       only for {@code string} and {@code path}.</li>
 *   <li>{@code minimum} and {@code maximum} (inclusive): only for {@code integer} and
 *       {@code number}.</li>
 * </ul>
 * Arguments without a rule are not checked. A missing argument is not checked either (the tool
 * itself decides whether it is required).
 *
 * @param name      the argument name
 * @param type      the required JSON type
 * @param maxLength maximum length in characters (string, path)
 * @param pattern   regex the whole value must match (string, path)
 * @param minimum   inclusive lower bound (integer, number)
 * @param maximum   inclusive upper bound (integer, number)
 */
public record ArgRule(String name, ArgType type, OptionalInt maxLength, Optional<CompiledRegex> pattern,
                      Optional<BigDecimal> minimum, Optional<BigDecimal> maximum) {

    public ArgRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(maxLength, "maxLength");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(minimum, "minimum");
        Objects.requireNonNull(maximum, "maximum");
    }

    /**
     * Why {@code value} (as decoded from JSON: String, Number, Boolean, Map, List or null) breaks
     * this rule, or empty when it conforms. A null value (argument absent) conforms.
     */
    public Optional<String> violation(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        switch (type) {
            case PATH, STRING -> {
                if (!(value instanceof CharSequence cs)) {
                    return Optional.of("argument '" + name + "' must be a string (" + type.keyword() + "), got " + jsonType(value));
                }
                String s = cs.toString();
                if (maxLength.isPresent() && s.codePointCount(0, s.length()) > maxLength.getAsInt()) {
                    return Optional.of("argument '" + name + "' is longer than " + maxLength.getAsInt() + " characters");
                }
                if (pattern.isPresent() && !pattern.get().matches(s)) {
                    return Optional.of("argument '" + name + "' does not match the pattern " + pattern.get().source());
                }
                return Optional.empty();
            }
            case BOOLEAN -> {
                return value instanceof Boolean ? Optional.empty()
                        : Optional.of("argument '" + name + "' must be a boolean, got " + jsonType(value));
            }
            case INTEGER, NUMBER -> {
                BigDecimal d = toDecimal(value);
                if (d == null) {
                    return Optional.of("argument '" + name + "' must be " + (type == ArgType.INTEGER ? "an integer" : "a number")
                            + ", got " + jsonType(value));
                }
                if (type == ArgType.INTEGER && d.stripTrailingZeros().scale() > 0) {
                    return Optional.of("argument '" + name + "' must be an integer, got " + d.toPlainString());
                }
                if (minimum.isPresent() && d.compareTo(minimum.get()) < 0) {
                    return Optional.of("argument '" + name + "' is below the minimum " + minimum.get().toPlainString());
                }
                if (maximum.isPresent() && d.compareTo(maximum.get()) > 0) {
                    return Optional.of("argument '" + name + "' is above the maximum " + maximum.get().toPlainString());
                }
                return Optional.empty();
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    private static BigDecimal toDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double v = ((Number) value).doubleValue();
            return Double.isFinite(v) ? BigDecimal.valueOf(v) : null;
        }
        return null;
    }

    private static String jsonType(Object value) {
        if (value instanceof CharSequence) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        if (value instanceof java.util.List) {
            return "an array";
        }
        return value.getClass().getSimpleName();
    }
}
