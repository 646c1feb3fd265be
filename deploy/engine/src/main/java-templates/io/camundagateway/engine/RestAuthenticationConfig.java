package io.camundagateway.engine;

// A template (templating-maven-plugin): Camunda and Operaton ship the same filter under their own package.
import org.${engine.name}.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.${engine.name}.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter leaves engine-rest open; production engines are not, so the dev engine requires
 * HTTP Basic against the engine's own identity service to make the gateway's credentials matter.
 */
@Configuration
public class RestAuthenticationConfig {

  @Bean
  public FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestBasicAuth() {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("engine-rest-basic-auth");
    registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
    registration.addUrlPatterns("/engine-rest/*");
    return registration;
  }
}
