package io.palisade.alert.persistence;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One condition of a suppression rule's {@code suppressionAlertsScope.allOf}: an entity field of the alert and either
 * the exact values it may have ({@code in}) or a text it must contain ({@code contains}, ignoring case).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuppressionCondition(String field, List<String> in, String contains) {
}
