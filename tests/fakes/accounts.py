"""Users and tokens for tests: real accounts, real sign-in over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import SecretStr

from application.tenancy.access import Access
from application.tenancy.use_cases.create_user import CreateUser, create_user
from contracts.tenancy.dto import UserIn
from entrypoints.bootstrap import Container

PASSWORD = "correct horse battery staple"
OPERATOR = Access(user_id=0, email="test:operator", is_super_admin=True)


def make_user(container: Container, email: str, *, super_admin: bool = False, name: str = "Test User") -> int:
    view = create_user(
        CreateUser(data=UserIn(email=email, name=name, password=SecretStr(PASSWORD), is_super_admin=super_admin),
                   access=OPERATOR),
        uow=container.unit_of_work("tenancy"), clock=container.clock,
        hasher=container.module_services("tenancy").hasher, config=container.configuration.module("tenancy"),
    )
    return view.id


def headers_for(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.json()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class RecordingMailer:
    """Captures outbound email instead of logging it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))

    def last_token(self, to: str) -> str:
        body = next(b for t, _, b in reversed(self.sent) if t == to)
        return body.strip().splitlines()[-1].strip()
