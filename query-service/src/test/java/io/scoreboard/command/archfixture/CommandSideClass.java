package io.scoreboard.command.archfixture;

/** Test fixture only: stands in for a command-side class so the architecture rule can be shown to fail. */
public class CommandSideClass {
}
