package io.palisade.common.api;

import java.util.List;

import jakarta.ws.rs.core.UriInfo;

/** A pageable list in the Azure shape: {@code value} and, when more remain, the {@code nextLink} to fetch them. */
public record Page<T>(List<T> value, String nextLink) {

    /**
     * Builds a page from a query that fetched up to {@code top + 1} rows: the extra row only tells that another page
     * exists.
     */
    public static <T> Page<T> of(List<T> fetched, PageRequest request, UriInfo uriInfo) {
        if (fetched.size() <= request.top()) {
            return new Page<>(fetched, null);
        }
        String next = uriInfo.getRequestUriBuilder()
                .replaceQueryParam("skip", request.skip() + request.top())
                .replaceQueryParam("top", request.top())
                .build().toString();
        return new Page<>(fetched.subList(0, request.top()), next);
    }
}
