package dev.rsk.api.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.rsk.stats.query.HourRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * JSON of {@link HourRows} on the internal API: an array of rows, each [hour start ms, inferences, withModule,
 * objects], the shape instances have always exchanged (an instance of an earlier version reads and sends the same),
 * written and read without an array object per hour.
 */
final class HourRowsJson {

  private HourRowsJson() {}

  /** Writes the non-zero rows. */
  static final class Writer extends StdSerializer<HourRows> {

    Writer() {
      super(HourRows.class);
    }

    @Override
    public void serialize(final HourRows rows, final JsonGenerator gen, final SerializerProvider provider)
        throws IOException {
      gen.writeStartArray();
      try {
        rows.forEach((h, a, b, c) -> {
          try {
            gen.writeStartArray();
            gen.writeNumber(h);
            gen.writeNumber(a);
            gen.writeNumber(b);
            gen.writeNumber(c);
            gen.writeEndArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      gen.writeEndArray();
    }
  }

  /** Reads rows into one flat array; a row of other than four integers is a mapping error. */
  static final class Reader extends StdDeserializer<HourRows> {

    Reader() {
      super(HourRows.class);
    }

    @Override
    public HourRows deserialize(final JsonParser p, final DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartArrayToken()) {
        return (HourRows) ctxt.handleUnexpectedToken(HourRows.class, p);
      }
      long[] flat = new long[64];
      int n = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.START_ARRAY) {
          return (HourRows) ctxt.handleUnexpectedToken(HourRows.class, p);
        }
        if (n + 4 > flat.length) {
          flat = Arrays.copyOf(flat, flat.length * 2);
        }
        for (int i = 0; i < 4; i++) {
          if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            return (HourRows) ctxt.reportInputMismatch(HourRows.class,
                "an hour row is 4 integers [hour start, inferences, withModule, objects]");
          }
          flat[n++] = p.getLongValue();
        }
        if (p.nextToken() != JsonToken.END_ARRAY) {
          return (HourRows) ctxt.reportInputMismatch(HourRows.class,
              "an hour row is 4 integers [hour start, inferences, withModule, objects]");
        }
      }
      return HourRows.flat(Arrays.copyOf(flat, n));
    }
  }
}
