from benefits_ops.access import TOKEN_PREFIX, Role, new_secret, secret_hash


def test_roles_are_ordered_viewer_operator_admin() -> None:
    assert Role.ADMIN.allows(Role.OPERATOR) and Role.OPERATOR.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.OPERATOR)
    assert not Role.OPERATOR.allows(Role.ADMIN)


def test_a_secret_is_random_and_only_its_hash_is_kept() -> None:
    a, b = new_secret(), new_secret()
    assert a != b and a.startswith(TOKEN_PREFIX) and len(a) > 40
    assert secret_hash(a) == secret_hash(a) != secret_hash(b)
    assert a not in secret_hash(a)
