package io.github.mellanoxlustre.detach;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON of the control directory's files. Core has jackson-databind only (no java.time or jdk8
 * modules), so the types the engine's records use are mapped here: a {@link Path} as its string, a
 * {@link Duration} or {@link Instant} as ISO-8601 text, an {@code Optional}/{@code OptionalInt} as
 * its value or {@code null}. Unknown properties are ignored on reading (a newer writer may add some).
 */
final class EngineJson {
    static final ObjectMapper MAPPER = mapper();

    private EngineJson() {
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("mlnx-lustre-detach");
        m.addSerializer(Path.class, new ToStringSerializer<>(Path.class));
        m.addDeserializer(Path.class, new FromString<>(Path.class, Path::of));
        m.addSerializer(Duration.class, new ToStringSerializer<>(Duration.class));
        m.addDeserializer(Duration.class, new FromString<>(Duration.class, Duration::parse));
        m.addSerializer(Instant.class, new ToStringSerializer<>(Instant.class));
        m.addDeserializer(Instant.class, new FromString<>(Instant.class, Instant::parse));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Optional<?>> optional = (Class) Optional.class;
        m.addSerializer(optional, new OptionalSerializer());
        m.addDeserializer(optional, new OptionalDeserializer(null));
        m.addSerializer(OptionalInt.class, new OptionalIntSerializer());
        m.addDeserializer(OptionalInt.class, new OptionalIntDeserializer());
        return new ObjectMapper().registerModule(m)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static final class ToStringSerializer<T> extends StdSerializer<T> {
        ToStringSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class FromString<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final java.util.function.Function<String, T> parse;

        FromString(Class<T> type, java.util.function.Function<String, T> parse) {
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return parse.apply(text);
            } catch (RuntimeException e) {
                return type.cast(ctxt.handleWeirdStringValue(type, text, e.getMessage()));
            }
        }
    }

    private static final class OptionalSerializer extends StdSerializer<Optional<?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        OptionalSerializer() {
            super((Class) Optional.class);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Optional<?> value) {
            return value == null || value.isEmpty();
        }

        @Override
        public void serialize(Optional<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }

    /** An Optional of the contained type the property declares ({@code Optional<RpmIdentity>}). */
    private static final class OptionalDeserializer extends JsonDeserializer<Optional<?>>
            implements ContextualDeserializer {
        private final JavaType content;

        OptionalDeserializer(JavaType content) {
            this.content = content;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            JavaType type = ctxt.getContextualType() != null ? ctxt.getContextualType()
                    : property == null ? null : property.getType();
            JavaType c = type == null || type.containedTypeCount() == 0 ? ctxt.constructType(Object.class)
                    : type.containedType(0);
            return new OptionalDeserializer(c);
        }

        @Override
        public Optional<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JavaType c = content == null ? ctxt.constructType(Object.class) : content;
            return Optional.ofNullable(ctxt.readValue(p, c));
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Optional.empty();
        }
    }

    private static final class OptionalIntSerializer extends StdSerializer<OptionalInt> {
        OptionalIntSerializer() {
            super(OptionalInt.class);
        }

        @Override
        public void serialize(OptionalInt value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                gen.writeNumber(value.getAsInt());
            } else {
                gen.writeNull();
            }
        }
    }

    private static final class OptionalIntDeserializer extends JsonDeserializer<OptionalInt> {
        @Override
        public OptionalInt deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return OptionalInt.of(p.getValueAsInt());
        }

        @Override
        public OptionalInt getNullValue(DeserializationContext ctxt) {
            return OptionalInt.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return OptionalInt.empty();
        }
    }
}
