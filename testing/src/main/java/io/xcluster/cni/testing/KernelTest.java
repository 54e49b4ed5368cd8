package io.xcluster.cni.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs root and network namespaces. Where they are missing the tests are
 * skipped, except under CI ({@code CI=true}), where a kernel test that cannot run is a failure.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KernelTestCondition.class)
public @interface KernelTest {}
