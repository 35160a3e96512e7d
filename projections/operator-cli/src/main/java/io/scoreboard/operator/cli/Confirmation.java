package io.scoreboard.operator.cli;

/**
 * The guard on every destructive or switching step: it names the environment and database it is
 * about to touch, and goes on only when the environment's name is typed back, either with
 * {@code --confirm <env>} or at the terminal prompt. A script without {@code --confirm} is refused,
 * never assumed to mean yes.
 */
public final class Confirmation {

    private Confirmation() {}

    /**
     * @param confirmed the value of {@code --confirm}, or null
     * @param action    what is about to happen, e.g. "switch the read model of scoreboard_read to the rebuilt copy"
     */
    public static void require(Console console, String confirmed, String environment, String action) {
        console.say("About to " + action + " in environment '" + environment + "'.");
        if (confirmed != null) {
            if (!confirmed.equals(environment)) {
                throw OperatorException.refused("--confirm " + confirmed + " does not match the target's environment '"
                        + environment + "'. Nothing was changed.",
                        "check that this is the database you meant; if it is, pass --confirm " + environment);
            }
            return;
        }
        if (!console.interactive()) {
            throw OperatorException.refused("this step changes environment '" + environment
                    + "' and needs its name typed back. Nothing was changed.",
                    "add --confirm " + environment + " after checking that this is the right target");
        }
        String answer = console.ask("Type the environment name (" + environment + ") to go on: ");
        if (answer == null || !answer.trim().equals(environment)) {
            throw OperatorException.refused("the answer did not match '" + environment + "'. Nothing was changed.",
                    "run it again and type " + environment + " when asked, or pass --confirm " + environment);
        }
    }
}
