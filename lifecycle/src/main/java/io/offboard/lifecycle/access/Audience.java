package io.offboard.lifecycle.access;

import java.util.Set;

/** Who may run a command (seed 003 and DESIGN "Commands"). */
public enum Audience {
    OWNERS_AND_OPERATORS("owners and operators"),
    OWNERS("owners"),
    OPERATORS("operators");

    private final String description;

    Audience(String description) {
        this.description = description;
    }

    public boolean admits(Set<Role> roles) {
        return switch (this) {
            case OWNERS_AND_OPERATORS -> roles.contains(Role.OWNER) || roles.contains(Role.OPERATOR);
            case OWNERS -> roles.contains(Role.OWNER);
            case OPERATORS -> roles.contains(Role.OPERATOR);
        };
    }

    /** For help texts and refusals: "owners and operators". */
    public String description() {
        return description;
    }
}
