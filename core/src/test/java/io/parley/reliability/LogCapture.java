package io.parley.reliability;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Captures what Parley logs on one System.Logger (through java.util.logging, the JDK's default backend)
 * from DEBUG up. Reached by reflection: the tests are compiled into the io.parley module, which does not read
 * java.logging (and should not, for their sake).
 */
final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final Object logger;
    private final Object handler;
    private final Object previousLevel;
    private final Class<?> handlerType;

    LogCapture(String loggerName) {
        try {
            Class<?> loggerType = Class.forName("java.util.logging.Logger");
            Class<?> levelType = Class.forName("java.util.logging.Level");
            handlerType = Class.forName("java.util.logging.Handler");
            Class<?> formatterType = Class.forName("java.util.logging.Formatter");
            Object all = levelType.getField("ALL").get(null);
            logger = loggerType.getMethod("getLogger", String.class).invoke(null, loggerName);
            previousLevel = loggerType.getMethod("getLevel").invoke(logger);
            Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
            handler = Class.forName("java.util.logging.StreamHandler")
                    .getConstructor(java.io.OutputStream.class, formatterType).newInstance(text, formatter);
            handlerType.getMethod("setLevel", levelType).invoke(handler, all);
            loggerType.getMethod("setLevel", levelType).invoke(logger, levelType.getField("FINE").get(null));
            loggerType.getMethod("addHandler", handlerType).invoke(logger, handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot capture java.util.logging output", e);
        }
    }

    /** Everything logged so far, formatted. */
    String text() {
        try {
            handlerType.getMethod("flush").invoke(handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        synchronized (text) {
            return text.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            Method remove = logger.getClass().getMethod("removeHandler", handlerType);
            remove.invoke(logger, handler);
            logger.getClass().getMethod("setLevel", Class.forName("java.util.logging.Level"))
                    .invoke(logger, previousLevel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
