package io.scoreboard.query.scoreboard;

/** A query parameter that parses but makes no sense (e.g. a negative position): answered 400. */
public class InvalidQueryParameterException extends RuntimeException {

    public InvalidQueryParameterException(String message) {
        super(message);
    }
}
