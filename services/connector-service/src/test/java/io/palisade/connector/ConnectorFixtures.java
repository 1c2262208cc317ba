package io.palisade.connector;

import static io.restassured.RestAssured.given;

import io.palisade.testsupport.Tokens;
import io.restassured.http.ContentType;

/** Connectors the tests need, created through the API as an admin would. */
public final class ConnectorFixtures {
    private ConnectorFixtures() {
    }

    public static String createOnPremConnector(String name) {
        return given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"" + name + "\",\"hierarchyIdentifier\":\"dc-1\"}")
                .when().post("/api/connectors")
                .then().statusCode(201).extract().path("id");
    }
}
