package io.offboard.lifecycle.access;

/** The hats a GitHub user can wear on an eviction issue. */
public enum Role {
    /** Listed in OFFBOARD_OPERATORS (directly or through a team). */
    OPERATOR,
    /** Named as capability owner on the eviction record. */
    OWNER
}
