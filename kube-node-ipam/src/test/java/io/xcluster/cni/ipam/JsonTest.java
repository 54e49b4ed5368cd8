package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  @SuppressWarnings("unchecked")
  void readsEveryKindOfValueAndKeepsMemberOrder() throws Exception {
    Map<String, Object> m =
        Json.parseObject(" {\"z\":1,\"a\":[true,false,null,-0.5e2,\"s\"],\"o\":{},\"e\":[]}\n");
    assertThat(m.keySet()).containsExactly("z", "a", "o", "e");
    assertThat(m.get("z")).isEqualTo(new BigDecimal("1"));
    assertThat((List<Object>) m.get("a"))
        .containsExactly(true, false, null, new BigDecimal("-0.5e2"), "s");
  }

  @Test
  void roundTripsWhatItReads() throws Exception {
    String text =
        "{\"cniVersion\":\"1.0.0\",\"n\":[1,2.5,-3,1E+5],\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"x\":null}";
    assertThat(Json.write(Json.parse(text))).isEqualTo(text);
  }

  @Test
  void decodesEscapes() throws Exception {
    assertThat(Json.parse("\"\\u00e9\\/\\b\\f\\r\"")).isEqualTo("é/\b\f\r");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\":}",
        "{\"a\" 1}",
        "{a:1}",
        "[1,]",
        "[1 2]",
        "01",
        "1.",
        "-",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"ctl \u0001\"",
        "tru",
        "{} {}",
        "NaN"
      })
  void rejectsWhatIsNotJson(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.ParseException.class);
  }

  @Test
  void limitsNesting() {
    String deep = "[".repeat(100) + "]".repeat(100);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested deeper");
  }

  @Test
  void typedAccessNamesTheMemberOfTheWrongType() throws Exception {
    Map<String, Object> m = Json.parseObject("{\"a\":1,\"l\":[\"x\",2]}");
    assertThat(Json.string(m, "missing")).isNull();
    assertThatThrownBy(() -> Json.string(m, "a")).hasMessageContaining("\"a\" must be a string");
    assertThatThrownBy(() -> Json.strings(m, "l"))
        .hasMessageContaining("\"l\" must be an array of strings");
    assertThatThrownBy(() -> Json.object(m, "l")).hasMessageContaining("must be an object");
  }

  @Test
  void writesIntegersAndRejectsOtherObjects() {
    assertThat(Json.write(Arrays.asList(1, 2L, null))).isEqualTo("[1,2,null]");
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
  }
}
