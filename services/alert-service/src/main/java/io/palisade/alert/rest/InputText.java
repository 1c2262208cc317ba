package io.palisade.alert.rest;

import io.palisade.common.problem.ProblemException;

/**
 * Text that comes from a caller and is stored or searched in PostgreSQL, which holds no NUL character: text with a
 * control character other than tab and line breaks is refused with a 400 naming the field, never a 500.
 */
public final class InputText {
    private InputText() {
    }

    /** Whether the text has a control character PostgreSQL or the logs should not get. */
    public static boolean hasControlCharacters(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    /** The text itself, or a 400 naming {@code field}. */
    public static String check(String field, String text) {
        if (hasControlCharacters(text)) {
            throw ProblemException.badRequest(field, "must not contain control characters");
        }
        return text;
    }
}
