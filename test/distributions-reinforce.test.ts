// The core of pytorch/examples reinforcement_learning/reinforce.py (policy network, Categorical
// sample + logProb, normalised returns, Adam) on a tiny deterministic environment: the actions and
// the losses equal Python's for the same seed.
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { runPython } from './helpers/python';

const F = torch.nn.functional;
const EPISODES = 6;
const GAMMA = 0.99;
const EPS = 1.1920928955078125e-7; // np.finfo(np.float32).eps

// The environment, identical on both sides: 4 numbers of state, episode ends after 10 steps or 4 "1" actions.
const PY = `
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

def env_step(t, ones, a):
    ones += a
    state = [0.1 * t, 0.2 * a - 0.1, 0.05 * ones, 1.0 - 0.1 * t]
    reward = 1.0 if a == t % 2 else 0.5
    return state, reward, t >= 9 or ones >= 4, ones

class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(4, 128)
        self.dropout = nn.Dropout(p=0.6)
        self.affine2 = nn.Linear(128, 2)
        self.saved_log_probs = []
        self.rewards = []
    def forward(self, x):
        x = self.affine1(x)
        x = self.dropout(x)
        x = F.relu(x)
        return F.softmax(self.affine2(x), dim=1)

torch.manual_seed(543)
policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)

def select_action(state):
    state = torch.tensor(state).float().unsqueeze(0)
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()

def finish_episode():
    R = 0
    policy_loss = []
    returns = []
    for r in policy.rewards[::-1]:
        R = r + ${GAMMA} * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + ${EPS})
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return policy_loss.item()

result = {'actions': [], 'losses': []}
for episode in range(${EPISODES}):
    state, ones, actions = [0.0, 0.0, 0.0, 1.0], 0, []
    for t in range(10000):
        action = select_action(state)
        actions.append(action)
        state, reward, done, ones = env_step(t, ones, action)
        policy.rewards.append(reward)
        if done:
            break
    result['actions'].append(actions)
    result['losses'].append(finish_episode())
`;

function envStep(t: number, ones: number, a: number): [number[], number, boolean, number] {
  ones += a;
  const state = [0.1 * t, 0.2 * a - 0.1, 0.05 * ones, 1.0 - 0.1 * t];
  return [state, a === t % 2 ? 1.0 : 0.5, t >= 9 || ones >= 4, ones];
}

class Policy extends nn.Module {
  affine1 = new nn.Linear(4, 128);
  dropout = new nn.Dropout({ p: 0.6 });
  affine2 = new nn.Linear(128, 2);
  savedLogProbs: torch.Tensor[] = [];
  rewards: number[] = [];
  forward(x: torch.Tensor): torch.Tensor {
    x = this.affine1(x);
    x = this.dropout(x);
    x = F.relu(x);
    return F.softmax(this.affine2(x), { dim: 1 });
  }
}

test('REINFORCE with Categorical: same actions and losses as Python', () => {
  const expected = runPython<{ actions: number[][]; losses: number[] }>(PY);
  torch.manualSeed(543);
  const policy = new Policy();
  const optimizer = new optim.Adam(policy.parameters(), { lr: 1e-2 });

  const selectAction = (state: number[]): number => {
    const probs = policy(torch.tensor(state, { dtype: torch.float64 }).float().unsqueeze(0));
    const m = new torch.distributions.Categorical(probs);
    const action = m.sample();
    policy.savedLogProbs.push(m.logProb(action));
    return action.item();
  };

  const finishEpisode = (): number => {
    let R = 0;
    const returnsList: number[] = [];
    for (const r of [...policy.rewards].reverse()) {
      R = r + GAMMA * R;
      returnsList.unshift(R);
    }
    let returns = torch.tensor(returnsList, { dtype: torch.float32 });
    returns = returns.sub(returns.mean()).div(returns.std().add(EPS));
    const policyLoss = policy.savedLogProbs.map((logProb, i) => logProb.neg().mul(returns.index(i)));
    optimizer.zeroGrad();
    const loss = torch.cat(policyLoss).sum();
    loss.backward();
    optimizer.step();
    policy.rewards.length = 0;
    policy.savedLogProbs.length = 0;
    return loss.item();
  };

  const actionsSeen: number[][] = [];
  const losses: number[] = [];
  for (let episode = 0; episode < EPISODES; episode++) {
    let state = [0.0, 0.0, 0.0, 1.0];
    let ones = 0;
    const actions: number[] = [];
    for (let t = 0; t < 10000; t++) {
      const action = selectAction(state);
      actions.push(action);
      let reward: number, done: boolean;
      [state, reward, done, ones] = envStep(t, ones, action);
      policy.rewards.push(reward);
      if (done) break;
    }
    actionsSeen.push(actions);
    losses.push(finishEpisode());
  }
  expect(actionsSeen).toEqual(expected.actions);
  expect(actionsSeen.flat().length).toBeGreaterThan(EPISODES * 3);
  losses.forEach((l, i) => expect(l).toBeCloseTo(expected.losses[i], 5));
});
