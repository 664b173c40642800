"""Who gets which PIN: residents, children born in the period, and outsiders.

Residents are person numbers ``0 .. persons-1``; children born during the period count up
from ``persons``; outsiders (a foreign mother, an informant the population registry does not
know, a typo that happens to be well shaped) count down from the top of the PIN space.
The ranges never meet, so a PIN is never reused.
"""

from __future__ import annotations

from registry_simulators.population.pins import PIN_SPACE, PinPermutation


class PinBook:
    def __init__(self, seed: int, residents: int) -> None:
        self._permutation = PinPermutation(seed)
        self._residents = residents
        self._next_resident = 0
        self._next_newborn = residents
        self._next_outsider = PIN_SPACE - 1

    @property
    def residents_left(self) -> int:
        return self._residents - self._next_resident

    @property
    def newborns(self) -> int:
        return self._next_newborn - self._residents

    def resident(self) -> str:
        if self._next_resident >= self._residents:
            raise RuntimeError("every resident already has a PIN")
        self._next_resident += 1
        return self._permutation.pin(self._next_resident - 1)

    def newborn(self) -> str:
        self._next_newborn += 1
        return self._permutation.pin(self._next_newborn - 1)

    def outsider(self) -> str:
        self._next_outsider -= 1
        return self._permutation.pin(self._next_outsider + 1)
