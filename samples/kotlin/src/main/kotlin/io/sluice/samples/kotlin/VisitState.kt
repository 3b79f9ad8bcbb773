package io.sluice.samples.kotlin

import io.sluice.annotations.StateVariables
import io.sluice.annotations.Ttl
import io.sluice.api.ListState
import io.sluice.api.MapState

/**
 * The state variables of a `transformWithState` processor over clicks, declared as an
 * interface: kapt runs the Sluice processor on it, which writes `VisitState_Variables`; a
 * processor calls `VisitState_Variables.declare(handle)` in `init`.
 */
@StateVariables
interface VisitState {
    /** The user's clicks of the last 10 seconds. */
    @Ttl("10 seconds")
    fun recentClicks(): ListState<Click>

    /** The user's views per page, kept until cleared. */
    fun viewsPerPage(): MapState<String, Long>
}
