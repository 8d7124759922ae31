package io.contrastream.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Immutable description of a contrastive encoder: backbone kind, input shape, hidden sizes, the backbone output
 * (representation) size and the projection-head output size. It is the only thing needed to rebuild the network
 * before loading a checkpoint's parameters, and it travels in events as a {@code Map<String,String>}
 * ({@link #toMap()} / {@link #fromMap(Map)}).
 *
 * <p>Meaning of {@code hiddenSizes} per kind:
 * <ul>
 *   <li>{@link Kind#MLP}: widths of the hidden fully-connected layers between the flattened input and the
 *       embedding layer (e.g. {@code [256]} for 784-256-128);</li>
 *   <li>{@link Kind#CNN}: output channels of each 3x3 convolution, each followed by ReLU and 2x2 max-pooling
 *       (e.g. {@code [32, 64]});</li>
 *   <li>{@link Kind#RESNET}: channels of the stem and of each residual stage; stages after the first halve the
 *       spatial size (e.g. {@code [16, 32, 64]}).</li>
 * </ul>
 *
 * @param kind          backbone family
 * @param inputShape    {@code {C, H, W}} of one sample
 * @param hiddenSizes   per-kind hidden sizes, at least one, all positive
 * @param embeddingDim  backbone output size: the representation used downstream (evaluation, mining)
 * @param projectionDim projection-head output size: what the contrastive loss sees
 */
public record EncoderSpec(Kind kind, int[] inputShape, List<Integer> hiddenSizes, int embeddingDim,
                          int projectionDim) {

    /** Backbone families. */
    public enum Kind { MLP, CNN, RESNET }

    static final String KEY_KIND = "kind";
    static final String KEY_INPUT_SHAPE = "inputShape";
    static final String KEY_HIDDEN = "hiddenSizes";
    static final String KEY_EMBEDDING = "embeddingDim";
    static final String KEY_PROJECTION = "projectionDim";

    public EncoderSpec {
        if (kind == null) {
            throw new InvalidEncoderSpecException(KEY_KIND, "must not be null");
        }
        if (inputShape == null || inputShape.length != 3) {
            throw new InvalidEncoderSpecException(KEY_INPUT_SHAPE,
                    "must be {C, H, W} (3 values), got " + Arrays.toString(inputShape));
        }
        inputShape = inputShape.clone();
        for (int i = 0; i < 3; i++) {
            if (inputShape[i] <= 0) {
                throw new InvalidEncoderSpecException(KEY_INPUT_SHAPE,
                        "all dimensions must be positive, got " + Arrays.toString(inputShape));
            }
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty()) {
            throw new InvalidEncoderSpecException(KEY_HIDDEN, "needs at least one size");
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        for (int i = 0; i < hiddenSizes.size(); i++) {
            if (hiddenSizes.get(i) <= 0) {
                throw new InvalidEncoderSpecException(KEY_HIDDEN,
                        "size at index " + i + " must be positive, got " + hiddenSizes.get(i));
            }
        }
        if (embeddingDim <= 0) {
            throw new InvalidEncoderSpecException(KEY_EMBEDDING, "must be positive, got " + embeddingDim);
        }
        if (projectionDim <= 0) {
            throw new InvalidEncoderSpecException(KEY_PROJECTION, "must be positive, got " + projectionDim);
        }
        if (kind == Kind.CNN) {
            int poolings = hiddenSizes.size();
            if ((inputShape[1] >> poolings) < 1 || (inputShape[2] >> poolings) < 1) {
                throw new InvalidEncoderSpecException(KEY_HIDDEN, hiddenSizes.size()
                        + " conv+pool layers would shrink input " + Arrays.toString(inputShape)
                        + " below 1x1; use fewer layers or a larger input");
            }
        }
    }

    /** The 784-256-128 MLP on 1x28x28 input with a 64-d projection. */
    public static EncoderSpec mnistMlp() {
        return new EncoderSpec(Kind.MLP, new int[] {1, 28, 28}, List.of(256), 128, 64);
    }

    /** Returns a copy of {@code {C, H, W}}. */
    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Number of input values per sample ({@code C*H*W}). */
    public int inputSize() {
        return inputShape[0] * inputShape[1] * inputShape[2];
    }

    /** String form for transport in an event. Keys: kind, inputShape ("C,H,W"), hiddenSizes, embeddingDim, projectionDim. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(KEY_KIND, kind.name());
        map.put(KEY_INPUT_SHAPE, Arrays.stream(inputShape).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        map.put(KEY_HIDDEN, hiddenSizes.stream().map(String::valueOf).collect(Collectors.joining(",")));
        map.put(KEY_EMBEDDING, Integer.toString(embeddingDim));
        map.put(KEY_PROJECTION, Integer.toString(projectionDim));
        return Map.copyOf(map);
    }

    /**
     * Parses the form written by {@link #toMap()}.
     *
     * @throws UnknownEncoderKindException  if the kind is not one of {@link Kind}
     * @throws InvalidEncoderSpecException if a key is missing or a value is malformed or invalid
     */
    public static EncoderSpec fromMap(Map<String, String> map) {
        Objects.requireNonNull(map, "map");
        String kindText = required(map, KEY_KIND);
        Kind kind;
        try {
            kind = Kind.valueOf(kindText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnknownEncoderKindException(kindText);
        }
        int[] shape = parseInts(KEY_INPUT_SHAPE, required(map, KEY_INPUT_SHAPE)).stream()
                .mapToInt(Integer::intValue).toArray();
        List<Integer> hidden = parseInts(KEY_HIDDEN, required(map, KEY_HIDDEN));
        return new EncoderSpec(kind, shape, hidden, parseInt(KEY_EMBEDDING, required(map, KEY_EMBEDDING)),
                parseInt(KEY_PROJECTION, required(map, KEY_PROJECTION)));
    }

    private static String required(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null) {
            throw new InvalidEncoderSpecException(key, "missing from map; present keys: " + map.keySet());
        }
        return value;
    }

    private static List<Integer> parseInts(String key, String text) {
        return Arrays.stream(text.split(",")).map(s -> parseInt(key, s)).collect(Collectors.toList());
    }

    private static int parseInt(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidEncoderSpecException(key, "not an integer: '" + text + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderSpec other && kind == other.kind && Arrays.equals(inputShape, other.inputShape)
                && hiddenSizes.equals(other.hiddenSizes) && embeddingDim == other.embeddingDim
                && projectionDim == other.projectionDim;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(inputShape), hiddenSizes, embeddingDim, projectionDim);
    }

    @Override
    public String toString() {
        return "EncoderSpec[kind=" + kind + ", inputShape=" + Arrays.toString(inputShape) + ", hiddenSizes="
                + hiddenSizes + ", embeddingDim=" + embeddingDim + ", projectionDim=" + projectionDim + "]";
    }
}
