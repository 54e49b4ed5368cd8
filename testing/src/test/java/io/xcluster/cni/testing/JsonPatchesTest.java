package io.xcluster.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The patch types, case by case (single quotes stand for double quotes). */
class JsonPatchesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          set and remove keys       | {'a':{'b':1,'c':2}}  | {'a':{'b':null,'d':3}}        | {'a':{'c':2,'d':3}}
          replace a scalar with map | {'a':1}              | {'a':{'x':1}}                 | {'a':{'x':1}}
          lists are replaced        | {'a':[1,2]}          | {'a':[3]}                     | {'a':[3]}
          a non-object replaces all | {'a':1}              | [1]                           | [1]
          a missing parent is made  | {}                   | {'m':{'ann':{'k':'v'}}}       | {'m':{'ann':{'k':'v'}}}
          """)
  void mergePatch(String name, String target, String patch, String expected) {
    assertThat(JsonPatches.mergePatch(json(target), json(patch))).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          like a merge patch        | {'a':{'b':1}}         | {'a':{'b':null,'c':2}}                  | {'a':{'c':2}}
          $patch delete on a map    | {'a':{'b':1},'z':0}   | {'a':{'$patch':'delete'}}               | {'z':0}
          $patch replace on a map   | {'a':{'b':1,'c':2}}   | {'a':{'$patch':'replace','d':4}}        | {'a':{'d':4}}
          ordering hints are dropped| {'a':[1]}             | {'$setElementOrder/a':[1],'b':2}        | {'a':[1],'b':2}
          """)
  void strategicMergePatch(String name, String target, String patch, String expected) {
    assertThat(JsonPatches.strategicMergePatch(json(target), json(patch)))
        .isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          add a key with a slash    | {'m':{}}        | [{'op':'add','path':'/m/a~1b','value':1}]                    | {'m':{'a/b':1}}
          add a key with a tilde    | {'m':{}}        | [{'op':'add','path':'/m/a~0b','value':1}]                    | {'m':{'a~b':1}}
          append to an array        | {'l':[1]}       | [{'op':'add','path':'/l/-','value':2}]                       | {'l':[1,2]}
          insert into an array      | {'l':[1,3]}     | [{'op':'add','path':'/l/1','value':2}]                       | {'l':[1,2,3]}
          remove                    | {'a':1,'b':2}   | [{'op':'remove','path':'/a'}]                                | {'b':2}
          replace                   | {'a':1}         | [{'op':'replace','path':'/a','value':{'x':1}}]               | {'a':{'x':1}}
          move                      | {'a':1}         | [{'op':'move','from':'/a','path':'/b'}]                      | {'b':1}
          copy                      | {'a':[1]}       | [{'op':'copy','from':'/a','path':'/b'}]                      | {'a':[1],'b':[1]}
          test then replace         | {'a':1}         | [{'op':'test','path':'/a','value':1},{'op':'replace','path':'/a','value':2}] | {'a':2}
          """)
  void jsonPatch(String name, String target, String patch, String expected) {
    assertThat(JsonPatches.jsonPatch(json(target), json(patch))).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          remove a missing key      | {'a':1}   | [{'op':'remove','path':'/b'}]                 | path /b does not exist
          replace a missing key     | {'a':1}   | [{'op':'replace','path':'/b','value':1}]      | path /b does not exist
          add below a missing key   | {}        | [{'op':'add','path':'/m/k','value':1}]        | path /m does not exist
          a failing test            | {'a':1}   | [{'op':'test','path':'/a','value':2}]         | test operation failed at /a
          an index out of range     | {'l':[]}  | [{'op':'add','path':'/l/1','value':1}]        | array index 1 out of range
          an unknown operation      | {}        | [{'op':'frobnicate','path':'/a'}]             | unknown JSON patch operation 'frobnicate'
          not an array              | {}        | {'op':'add'}                                  | a JSON patch must be an array of operations
          """)
  void badJsonPatches(String name, String target, String patch, String message) {
    assertThatThrownBy(() -> JsonPatches.jsonPatch(json(target), json(patch)))
        .isInstanceOf(JsonPatches.PatchException.class)
        .hasMessage(message);
  }

  private static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (IOException e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
