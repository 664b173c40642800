"""Azerbaijani given names, surnames by sex and patronymics.

Surnames are kept in their masculine form (``Məmmədov``, ``Əliyev``); the feminine form adds
``a`` (``Məmmədova``, ``Əliyeva``). A patronymic is the father's given name followed by
``oğlu`` (son of) or ``qızı`` (daughter of): ``Rauf qızı``, ``Elçin oğlu``.
"""

from __future__ import annotations

import random
from typing import Literal

Sex = Literal["F", "M"]

FEMALE_NAMES = (
    "Aysel", "Leyla", "Günay", "Nigar", "Səbinə", "Aynur", "Ülviyyə", "Nərmin", "Könül",
    "Sevinc", "Lalə", "Fidan", "Gülnar", "Aytən", "Zəhra", "Aygün", "Nərgiz", "Səidə",
    "Türkan", "Vüsalə", "Aidə", "Şəbnəm", "Xədicə", "Mehriban", "Ayşən", "Fatimə", "Nuray",
    "Gülşən", "Samirə", "Jalə", "Elnarə", "Rəna", "Aytac", "Sona", "Nazlı", "Ülkər",
    "Məryəm", "İlahə", "Pərvin", "Kamilə", "Esmira", "Lamiyə", "Arzu", "Gülər", "Zərifə",
)  # fmt: skip

MALE_NAMES = (
    "Rauf", "Elçin", "Orxan", "Tural", "Kamran", "Rəşad", "Elvin", "Anar", "Vüqar", "Murad",
    "Nicat", "Ramil", "Fərid", "Səbuhi", "Ceyhun", "Emin", "Əli", "Hüseyn", "Məmməd",
    "Rövşən", "Zaur", "İlqar", "Namiq", "Vəli", "Elnur", "Rüstəm", "Tofiq", "Arif", "Şahin",
    "Samir", "Cavid", "Rəsul", "Toğrul", "Ülvi", "Kənan", "Nurlan", "Fuad", "İlham",
    "Mirzə", "Yusif", "Ağasəf", "Bəhruz", "Qurban", "Elşən", "Teymur",
)  # fmt: skip

SURNAMES = (
    "Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev", "İsmayılov", "Abdullayev",
    "Rzayev", "Cəfərov", "Qasımov", "Orucov", "Kərimov", "Bağırov", "Nəsirov", "Süleymanov",
    "Mustafayev", "Babayev", "Vəliyev", "Əhmədov", "Hacıyev", "İbrahimov", "Salmanov",
    "Sadıqov", "Novruzov", "Zeynalov", "Nağıyev", "Allahverdiyev", "Musayev", "Əsgərov",
    "Rəhimov", "Paşayev", "Mirzəyev", "Şükürov", "Əzizov", "Hümbətov", "Əkbərov",
    "Səfərov", "Yusifov", "Tağıyev", "Nəbiyev", "Mehdiyev", "Qarayev", "Həmidov",
)  # fmt: skip


def given_name(rng: random.Random, sex: Sex) -> str:
    return rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)


def surname_root(rng: random.Random) -> str:
    return rng.choice(SURNAMES)


def surname(root: str, sex: Sex) -> str:
    """The surname of a person of ``sex`` in a family whose masculine surname is ``root``."""
    return root + "a" if sex == "F" else root


def patronymic(father_given_name: str, sex: Sex) -> str:
    return f"{father_given_name} {'qızı' if sex == 'F' else 'oğlu'}"
