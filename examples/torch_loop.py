"""Train a tiny model with SGD driven by an lrsched schedule: python examples/torch_loop.py."""

import torch

from lrsched import cosine
from lrsched.torch import LRScheduler


def main() -> None:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    schedule = 5 >> cosine(base_lr=0.1, min_lr=0.001, total_steps=15)
    scheduler = LRScheduler(optimizer, schedule)
    x, y = torch.randn(32, 4), torch.randn(32, 1)
    for step in range(25):
        lr = optimizer.param_groups[0]["lr"]
        assert lr == schedule(step), (step, lr, schedule(step))
        if step % 5 == 0:
            print(f"step {step:2d}  lr {lr:.6f}")
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it unannotated
        optimizer.step()
        optimizer.zero_grad()
        scheduler.step()
    assert scheduler.get_last_lr() == [schedule(25)]
    print("ok: every lr equals the schedule")


if __name__ == "__main__":
    main()
