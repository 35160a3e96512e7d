package io.scoreboard.query.archfixture;

import io.scoreboard.command.archfixture.CommandSideClass;

/** Test fixture only: the violation {@code ArchitectureTest} must catch. */
public class QueryClassThatReachesIntoTheCommandSide {

    CommandSideClass commandSide = new CommandSideClass();
}
