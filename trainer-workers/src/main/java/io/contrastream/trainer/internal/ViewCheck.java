package io.contrastream.trainer.internal;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.Tensor;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/** Outcome of validating one decoded view against the run and the encoder's input. */
public sealed interface ViewCheck {

    /** Dead-letter error type for a record that is not a decodable event. */
    String UNDECODABLE = "UNDECODABLE";
    /** Dead-letter error type for a decodable view the encoder cannot take. */
    String INVALID_VIEW = "INVALID_VIEW";

    /** The view is trainable. */
    record Valid() implements ViewCheck {
    }

    /** The view belongs to another run sharing the topic: skip, count, no dead letter. */
    record OtherRun(String runId) implements ViewCheck {
    }

    /** The view cannot be trained on: dead-letter it with this reason. */
    record Invalid(String reason) implements ViewCheck {
    }

    /**
     * Checks run id, view index and count, dtype, shape, byte length and that every pixel is finite (scanning a
     * little-endian float view of the tensor bytes, no boxing).
     */
    static ViewCheck of(AugmentedView view, String runId, int views, int[] inputShape) {
        return of(view, runId, views, inputShape, new float[inputShape[0] * inputShape[1] * inputShape[2]]);
    }

    /** As {@link #of(AugmentedView, String, int, int[])}, scanning pixels in {@code scratch} (C*H*W floats). */
    static ViewCheck of(AugmentedView view, String runId, int views, int[] inputShape, float[] scratch) {
        if (!runId.equals(view.getRunId())) {
            return new OtherRun(view.getRunId());
        }
        if (view.getViewIndex() < 0 || view.getViewIndex() >= views) {
            return new Invalid("viewIndex " + view.getViewIndex() + " outside [0, " + views + ")");
        }
        if (view.getViewCount() != views) {
            return new Invalid("viewCount " + view.getViewCount() + " but the trainer expects " + views
                    + " views per sample");
        }
        Tensor tensor = view.getTensor();
        if (tensor.getDtype() != DType.FLOAT32) {
            return new Invalid("tensor dtype " + tensor.getDtype() + ", expected FLOAT32");
        }
        List<Integer> shape = tensor.getShape();
        if (shape.size() != 3 || shape.get(0) != inputShape[0] || shape.get(1) != inputShape[1]
                || shape.get(2) != inputShape[2]) {
            return new Invalid("tensor shape " + shape + " does not match the encoder input "
                    + Arrays.toString(inputShape));
        }
        int values = inputShape[0] * inputShape[1] * inputShape[2];
        int bytes = tensor.getData().remaining();
        if (bytes != 4 * values) {
            return new Invalid("tensor data has " + bytes + " bytes, expected 4*C*H*W = " + 4 * values);
        }
        FloatBuffer floats = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        floats.get(scratch, 0, values);
        boolean finite = true;
        for (int i = 0; i < values; i++) {
            finite &= Float.isFinite(scratch[i]);
        }
        if (!finite) {
            for (int i = 0; i < values; i++) {
                if (!Float.isFinite(scratch[i])) {
                    return new Invalid("non-finite pixel " + scratch[i] + " at index " + i);
                }
            }
        }
        return new Valid();
    }
}
